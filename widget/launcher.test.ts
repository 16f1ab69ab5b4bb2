// @vitest-environment happy-dom
// The launcher as a visitor and a site's script meet it: its name, unread count and colour, when the
// panel is fetched, and focus coming back to it however the panel closes. The panel is a stand-in
// (the real one is driven in e2e/widgetDelivery.test.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EmbedSettings } from './embed';
import { startLauncher } from './launcher';
import type { LauncherLink, MountPanel, PanelLink, ParleyFn } from './panelLink';

const settings = (over: Partial<EmbedSettings> = {}): EmbedSettings => ({
  serverOrigin: 'https://chat.example.com',
  socketUrl: 'wss://chat.example.com/ws/visitor',
  overrides: {},
  scriptUrl: 'https://chat.example.com/widget.js',
  nonce: '',
  ...over,
});

interface FakePanel {
  loads: number;
  link: LauncherLink | null;
  panel: { show: ReturnType<typeof vi.fn<PanelLink['show']>>; identify: ReturnType<typeof vi.fn<PanelLink['identify']>> };
  /** The panel's own focusable element (its close button), inside the shadow root. */
  closeButton: HTMLButtonElement | null;
}

function start(over: Partial<EmbedSettings> = {}): { parley: ParleyFn; fake: FakePanel } {
  const fake: FakePanel = { loads: 0, link: null, panel: { show: vi.fn<PanelLink['show']>(), identify: vi.fn<PanelLink['identify']>() }, closeButton: null };
  const mount: MountPanel = (link, place) => {
    fake.link = link;
    fake.closeButton = document.createElement('button');
    place.container.appendChild(fake.closeButton);
    return fake.panel;
  };
  const parley = startLauncher(settings(over), () => () => {
    fake.loads++;
    return Promise.resolve(mount);
  });
  return { parley, fake };
}

const shadow = () => document.querySelector('[data-parley]')?.shadowRoot as ShadowRoot;
const launcher = () => shadow().querySelector('button.launcher') as HTMLButtonElement;
const badge = () => shadow().querySelector('.badge') as HTMLElement;
const settle = () => new Promise((done) => setTimeout(done));

beforeEach(() => {
  document.cookie = 'parley_vid=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  localStorage.clear();
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('launcher', () => {
  it('is a button named "Open chat" that fetches nothing until the visitor comes near it', async () => {
    const { fake } = start();
    expect(launcher().getAttribute('aria-label')).toBe('Open chat');
    expect(launcher().getAttribute('aria-expanded')).toBe('false');
    expect(badge().hidden).toBe(true);
    await settle();
    expect(fake.loads).toBe(0);

    launcher().dispatchEvent(new Event('pointerenter'));
    await settle();
    expect(fake.loads).toBe(1);
    expect(fake.panel.show).toHaveBeenLastCalledWith(false); // fetched and ready, still closed
  });

  it('opens the panel on click, and says "Hide chat" while it is open', async () => {
    const { fake } = start();
    launcher().click();
    expect(launcher().getAttribute('aria-label')).toBe('Hide chat');
    expect(launcher().getAttribute('aria-expanded')).toBe('true');
    await settle();
    expect(fake.loads).toBe(1);
    expect(fake.panel.show).toHaveBeenLastCalledWith(true);

    launcher().click();
    expect(fake.panel.show).toHaveBeenLastCalledWith(false);
    expect(launcher().getAttribute('aria-label')).toBe('Open chat');
  });

  it('loads the panel at once for a returning visitor, so replies and history can arrive', async () => {
    document.cookie = 'parley_vid=abc; path=/';
    const { fake } = start();
    await settle();
    expect(fake.loads).toBe(1);
    expect(fake.panel.show).toHaveBeenLastCalledWith(false);
  });

  it('loads the panel at once when an earlier page left a message unsent', async () => {
    localStorage.setItem('parley_outbox', '{"messages":[{"clientId":"a","body":"hi","createdAt":1}]}');
    const { fake } = start();
    await settle();
    expect(fake.loads).toBe(1);
  });

  it('carries the unread count in its name, and shows it on a badge screen readers skip', async () => {
    document.cookie = 'parley_vid=abc; path=/';
    const { fake } = start();
    await settle();
    fake.link?.setUnread(2);
    expect(launcher().getAttribute('aria-label')).toBe('Open chat, 2 unread replies');
    expect(badge().hidden).toBe(false);
    expect(badge().textContent).toBe('2');
    expect(badge().getAttribute('aria-hidden')).toBe('true');
    fake.link?.setUnread(1);
    expect(launcher().getAttribute('aria-label')).toBe('Open chat, 1 unread reply');
    fake.link?.setUnread(0);
    expect(launcher().getAttribute('aria-label')).toBe('Open chat');
    expect(badge().hidden).toBe(true);
  });

  it('takes focus back when the panel closes itself while focus is inside it', async () => {
    const { fake } = start();
    launcher().click();
    await settle();
    fake.closeButton?.focus();
    expect(shadow().activeElement).toBe(fake.closeButton);

    fake.link?.setOpen(false); // the panel's close button or Escape
    expect(shadow().activeElement).toBe(launcher());
    expect(fake.panel.show).toHaveBeenLastCalledWith(false);
    expect(launcher().getAttribute('aria-expanded')).toBe('false');
  });

  it("leaves the page's focus alone when the page's own script closes the widget", async () => {
    const { parley } = start();
    parley('open');
    await settle();
    const field = document.body.appendChild(document.createElement('input'));
    field.focus();
    parley('close');
    expect(document.activeElement).toBe(field);
  });

  it('hands the panel what identify() said before it loaded, bounded, and later calls as they come', async () => {
    const { parley, fake } = start();
    parley('identify', { email: 'grace@example.com', name: 'G'.repeat(500), userHash: 'abc', extra: 1 });
    parley('open');
    await settle();
    expect(fake.panel.identify).toHaveBeenCalledWith({ email: 'grace@example.com', name: 'G'.repeat(100), userHash: 'abc' });
    parley('identify', { name: 'Grace' });
    expect(fake.panel.identify).toHaveBeenLastCalledWith({ name: 'Grace' });
  });

  it('picks dark icon on a light site colour and white on a dark one (4.5:1 either way)', () => {
    start({ overrides: { color: '#fde047' } });
    const host = document.querySelector('[data-parley]') as HTMLElement;
    expect(host.style.getPropertyValue('--parley-accent')).toBe('#fde047');
    expect(host.style.getPropertyValue('--parley-on-accent')).toBe('#111827');
    document.body.innerHTML = '';
    start({ overrides: { color: '#1e3a8a' } });
    expect((document.querySelector('[data-parley]') as HTMLElement).style.getPropertyValue('--parley-on-accent')).toBe('#ffffff');
  });

  it('stays usable when the panel cannot be fetched, and tries again on the next click', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let attempts = 0;
    startLauncher(settings(), () => () => {
      attempts++;
      return Promise.reject(new Error('offline'));
    });
    launcher().click();
    await settle();
    expect(launcher().getAttribute('aria-expanded')).toBe('false');
    launcher().click();
    await settle();
    expect(attempts).toBe(2);
    warn.mockRestore();
  });
});
