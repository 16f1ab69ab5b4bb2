// @vitest-environment happy-dom
// Which look a page gets: its own data-* settings, else the server's, else the last seen, else defaults.
import { afterEach, describe, expect, it } from 'vitest';
import type { VisitorWidgetSettings } from '../shared/protocol';
import { DARK_TEXT, WIDGET_DEFAULTS } from '../shared/widgetLook';
import { applyLook, resolveLook, savedSettings, saveSettings } from './look';

afterEach(() => localStorage.clear());

const fromServer: VisitorWidgetSettings = {
  title: 'Talk to Acme',
  subtitle: 'Replies within the hour',
  greeting: 'Hello!',
  color: '#facc15',
  textColor: DARK_TEXT,
  position: 'left',
  open: true,
  outsideHoursText: 'Away',
  askEmailAfterMs: 60_000,
};

describe('widget look', () => {
  it('shows the defaults until the server has spoken', () => {
    const { outsideHoursText: _notShownHere, ...text } = WIDGET_DEFAULTS;
    expect(resolveLook({}, null)).toMatchObject({ ...text, textColor: '#ffffff', position: 'right' });
  });

  it('takes Settings → Widget from the server, text colour included', () => {
    expect(resolveLook({}, fromServer)).toMatchObject({ title: 'Talk to Acme', color: '#facc15', textColor: DARK_TEXT, position: 'left' });
  });

  it("lets the page's data-* attributes win, pairing its own colour by the same contrast rule", () => {
    const look = resolveLook({ title: 'Support for this page', color: '#fef08a', position: 'right' }, { ...fromServer, color: '#1e3a8a', textColor: '#ffffff' });
    expect(look).toMatchObject({ title: 'Support for this page', subtitle: 'Replies within the hour', color: '#fef08a', textColor: DARK_TEXT, position: 'right' });
  });

  it('remembers the last settings for the next page load', () => {
    expect(savedSettings()).toBeNull();
    saveSettings(fromServer);
    expect(savedSettings()).toEqual(fromServer);
  });

  it('puts colours and side on the shadow host, where the stylesheet reads them', () => {
    const host = document.createElement('div');
    applyLook(host, resolveLook({}, fromServer));
    expect(host.style.getPropertyValue('--parley-accent')).toBe('#facc15');
    expect(host.style.getPropertyValue('--parley-on-accent')).toBe(DARK_TEXT);
    expect(host.dataset.position).toBe('left');
  });

  it('gives the fields a focus halo in the brand colour where it shows against the panel, else a dark one', () => {
    const host = document.createElement('div');
    applyLook(host, resolveLook({ color: '#4f46e5' }, null));
    expect(host.style.getPropertyValue('--parley-ring')).toBe('#4f46e5');
    applyLook(host, resolveLook({ color: '#fde047' }, null));
    expect(host.style.getPropertyValue('--parley-ring')).toBe(DARK_TEXT);
    expect(host.style.getPropertyValue('--parley-ring-dark')).toBe('#fde047');
  });
});
