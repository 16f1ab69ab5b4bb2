// @vitest-environment happy-dom
// Settings › Widget as an admin uses it: the fields by their names, a save that is announced, the
// server's refusals beside the field they are about, and business hours per weekday.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentView, WidgetSettings, WidgetSettingsView } from '../../shared/protocol';
import { json, mockApi, type ApiCall } from '../testing/testSupport';
import { Settings } from './Settings';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const admin: AgentView = { id: 1, email: 'grace@example.com', name: 'Grace Hopper', role: 'admin' };
const agent: AgentView = { id: 2, email: 'linus@example.com', name: 'Linus', role: 'agent' };

const defaults: WidgetSettings = {
  title: 'Chat with us',
  subtitle: 'We usually reply within a few minutes',
  greeting: 'Hi there! Ask us anything, we are happy to help.',
  color: '#4f46e5',
  position: 'right',
  hours: null,
  timeZone: 'Europe/Paris',
  outsideHoursText: "We're away — leave your email and we'll reply",
  emailPromptDelaySeconds: 60,
  allowedOrigins: [],
};
const view = (settings: WidgetSettings): WidgetSettingsView => ({ settings, textColor: '#ffffff', envAllowedOrigins: null, openNow: true });

/** Answers the widget settings API (and the other pages' loads); `refuse` answers a PUT instead. */
function widgetServer(refuse?: (call: ApiCall) => { status: number; body?: unknown } | null) {
  let stored = defaults;
  return mockApi((call) => {
    if (call.path === '/api/settings/widget' && call.method === 'PUT') {
      const refusal = refuse?.(call);
      if (refusal) return refusal;
      stored = call.body as WidgetSettings;
      return json(view(stored));
    }
    if (call.path === '/api/settings/widget') return json(view(stored));
    return json({ savedResponses: [], categories: [] });
  });
}

async function openWidgetPage() {
  render(<Settings agent={admin} onBack={() => {}} endedSession={() => false} />);
  fireEvent.click(within(screen.getByRole('navigation', { name: 'Settings pages' })).getByRole('link', { name: 'Widget' }));
  return (await screen.findByLabelText('Title')) as HTMLInputElement;
}

const field = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
const fill = (name: string, value: string) => fireEvent.input(field(name), { target: { value } });
const lastPut = (calls: ApiCall[]) => calls.filter((c) => c.method === 'PUT').at(-1)?.body as WidgetSettings;

describe('settings › widget', () => {
  it('is a page for admins only', () => {
    widgetServer();
    render(<Settings agent={agent} onBack={() => {}} endedSession={() => false} />);
    const nav = screen.getByRole('navigation', { name: 'Settings pages' });
    expect(within(nav).queryByRole('link', { name: 'Widget' })).toBeNull();
    expect(within(nav).getByRole('link', { name: 'Saved responses' })).toBeTruthy();
  });

  it('shows the current settings in fields named as the docs say', async () => {
    widgetServer();
    expect((await openWidgetPage()).value).toBe('Chat with us');
    expect(field('Subtitle').value).toBe('We usually reply within a few minutes');
    expect(field('Greeting').value).toContain('Hi there!');
    expect(field('Color').value).toBe('#4f46e5');
    expect(field('Position').value).toBe('right');
    expect(field('Time zone').value).toBe('Europe/Paris');
    expect(field('Outside hours message').value).toBe("We're away — leave your email and we'll reply");
    expect(field('Email prompt delay').value).toBe('60');
    expect(field('Allowed origins').value).toBe('');
    expect(screen.getByRole('link', { name: 'Widget' }).getAttribute('aria-current')).toBe('page');
  });

  it('saves the changes and says so politely', async () => {
    const { calls } = widgetServer();
    await openWidgetPage();
    fill('Title', 'Talk to Acme');
    fill('Color', '#facc15');
    expect(screen.getByText('Text on it: dark (11.6:1 contrast)')).toBeTruthy();
    fireEvent.change(field('Position'), { target: { value: 'left' } });
    fill('Email prompt delay', '30');
    fill('Allowed origins', 'https://shop.example\nhttps://www.shop.example');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const status = await screen.findByText('Widget settings saved. Widgets open on your site show them now.');
    expect(status.getAttribute('role')).toBe('status');
    expect(lastPut(calls)).toMatchObject({
      title: 'Talk to Acme',
      color: '#facc15',
      position: 'left',
      emailPromptDelaySeconds: 30,
      allowedOrigins: ['https://shop.example', 'https://www.shop.example'],
      hours: null,
    });
  });

  it("shows the server's refusal beside the field, marks it invalid and takes focus there", async () => {
    const message = 'Text on #7a7a7a reaches only 4.22:1 contrast, in white or in dark; pick a darker or lighter colour (4.5:1 is needed)';
    widgetServer(() => json({ error: message, issues: [{ path: 'color', message }] }, 400));
    await openWidgetPage();
    fill('Color', '#7a7a7a');
    expect(screen.getByText(/No text colour reaches 4.5:1 on it/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const error = await screen.findByText(message);
    const color = field('Color');
    expect(color.getAttribute('aria-invalid')).toBe('true');
    expect(color.getAttribute('aria-describedby')).toContain(error.id);
    await waitFor(() => expect(document.activeElement).toBe(color));
    expect(screen.queryByText(/Widget settings saved/)).toBeNull();
  });

  it('sets business hours per weekday, with days closed', async () => {
    const { calls } = widgetServer();
    await openWidgetPage();
    expect(screen.queryByLabelText('Monday opens')).toBeNull();
    fireEvent.click(screen.getByLabelText('Use business hours'));
    expect((screen.getByLabelText('Closed on Sunday') as HTMLInputElement).checked).toBe(true);
    fill('Monday opens', '08:30');
    fill('Monday closes', '18:00');
    fireEvent.click(screen.getByLabelText('Closed on Friday'));
    expect(field('Friday opens').disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/Widget settings saved/);
    expect(lastPut(calls).hours).toEqual({
      mon: { from: '08:30', to: '18:00' },
      tue: { from: '09:00', to: '17:00' },
      wed: { from: '09:00', to: '17:00' },
      thu: { from: '09:00', to: '17:00' },
      fri: null,
      sat: null,
      sun: null,
    });
  });

  it('names the weekday whose hours the server refused', async () => {
    widgetServer(() => json({ error: 'Closing time must be after opening time', issues: [{ path: 'hours.tue.to', message: 'Closing time must be after opening time' }] }, 400));
    await openWidgetPage();
    fireEvent.click(screen.getByLabelText('Use business hours'));
    fill('Tuesday closes', '08:00');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Tuesday: Closing time must be after opening time')).toBeTruthy();
    expect(field('Tuesday closes').getAttribute('aria-invalid')).toBe('true');
  });
});
