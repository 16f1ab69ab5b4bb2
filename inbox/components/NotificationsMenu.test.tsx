// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_AGENT_PREFERENCES, type AgentPreferences } from '../../shared/protocol';
import { setCsrfToken } from '../api/client';
import { json, mockApi } from '../testing/testSupport';
import { NotificationsMenu } from './NotificationsMenu';

/** The browser's Notification, with the permission the test decides and the agent's answer to its prompt. */
function stubNotifications(permission: NotificationPermission, answer: NotificationPermission = permission) {
  const requestPermission = vi.fn(async () => {
    Stub.permission = answer;
    return answer;
  });
  const Stub = { permission, requestPermission };
  vi.stubGlobal('Notification', Stub);
  return requestPermission;
}

/** Saves what it is sent, merged, as the server would; `refuse` answers 500 instead. */
function preferencesServer(refuse = false) {
  let stored: AgentPreferences = { ...DEFAULT_AGENT_PREFERENCES };
  return mockApi((call) => {
    if (call.path !== '/api/session/preferences' || call.method !== 'PUT') return json({ error: 'No such API route' }, 404);
    if (refuse) return json({ error: 'The database is busy' }, 500);
    stored = { ...stored, ...(call.body as Partial<AgentPreferences>) };
    return json({ preferences: stored });
  });
}

function Page({ initial = DEFAULT_AGENT_PREFERENCES }: { initial?: AgentPreferences }) {
  const [preferences, setPreferences] = useState(initial);
  return (
    <>
      <NotificationsMenu preferences={preferences} onChange={setPreferences} endedSession={() => false} />
      <button type="button">Elsewhere</button>
    </>
  );
}

const menuButton = () => screen.getByRole('button', { name: 'Notifications' });
const desktop = () => screen.getByRole('checkbox', { name: 'Desktop notifications' }) as HTMLInputElement;
const sound = () => screen.getByRole('checkbox', { name: 'Sound' }) as HTMLInputElement;
const scope = () => screen.getByRole('combobox', { name: 'Notify me about' }) as HTMLSelectElement;

beforeEach(() => setCsrfToken('csrf-123'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('the Notifications panel', () => {
  it('opens from the top bar button, and Escape closes it and gives the button its focus back', async () => {
    preferencesServer();
    stubNotifications('default');
    render(<Page />);
    expect(menuButton().getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('checkbox', { name: 'Sound' })).toBeNull(); // hidden until opened

    fireEvent.click(menuButton());
    expect(menuButton().getAttribute('aria-expanded')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(desktop()));
    expect([...scope().options].map((o) => o.text)).toEqual(['All new messages', 'Conversations assigned to me or unassigned', 'Nothing']);

    fireEvent.keyDown(sound(), { key: 'Escape' });
    expect(menuButton().getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(menuButton());
  });

  it('asks the browser from the click that turns desktop notifications on, then saves the choice', async () => {
    const server = preferencesServer();
    const requestPermission = stubNotifications('default', 'granted');
    render(<Page />);
    fireEvent.click(menuButton());
    fireEvent.click(desktop());
    expect(requestPermission).toHaveBeenCalledOnce();
    await waitFor(() => expect(desktop().checked).toBe(true));
    expect(server.calls).toMatchObject([{ method: 'PUT', path: '/api/session/preferences', body: { desktopNotifications: true } }]);
    expect(server.calls[0]?.headers['X-CSRF-Token']).toBe('csrf-123');

    fireEvent.click(desktop());
    await waitFor(() => expect(desktop().checked).toBe(false));
    expect(server.calls.at(-1)?.body).toEqual({ desktopNotifications: false });
  });

  it('says so and leaves it off when the browser refuses', async () => {
    const server = preferencesServer();
    stubNotifications('default', 'denied');
    render(<Page />);
    fireEvent.click(menuButton());
    fireEvent.click(desktop());
    expect((await screen.findByRole('alert')).textContent).toMatch(/blocks notifications from this site/);
    expect(desktop().checked).toBe(false);
    expect(server.calls).toHaveLength(0);
  });

  it('shows a choice saved in another browser as off here until this browser allows it', () => {
    preferencesServer();
    stubNotifications('default');
    render(<Page initial={{ ...DEFAULT_AGENT_PREFERENCES, desktopNotifications: true }} />);
    fireEvent.click(menuButton());
    expect(desktop().checked).toBe(false);
    expect(screen.getByText(/this browser has not allowed them/)).toBeTruthy();
  });

  it('saves the sound and what to be notified about, per agent', async () => {
    const server = preferencesServer();
    stubNotifications('granted');
    render(<Page />);
    fireEvent.click(menuButton());
    fireEvent.click(sound());
    await waitFor(() => expect(server.calls).toHaveLength(1));
    fireEvent.change(scope(), { target: { value: 'mine' } });
    await waitFor(() => expect(server.calls).toHaveLength(2));
    expect(server.calls.map((c) => c.body)).toEqual([{ sound: true }, { notifyAbout: 'mine' }]);
    expect(sound().checked).toBe(true);
    expect(scope().value).toBe('mine');
  });

  it('puts the old choice back and says why when the server cannot save it', async () => {
    preferencesServer(true);
    stubNotifications('granted');
    render(<Page />);
    fireEvent.click(menuButton());
    fireEvent.change(scope(), { target: { value: 'nothing' } });
    expect((await screen.findByRole('alert')).textContent).toBe('Could not save: The database is busy');
    expect(scope().value).toBe('all');
  });

  it('closes when the focus moves past it, and on Escape from the button too', () => {
    preferencesServer();
    stubNotifications('default');
    render(<Page />);
    fireEvent.click(menuButton());
    const elsewhere = screen.getByRole('button', { name: 'Elsewhere' });
    fireEvent.focusOut(scope(), { relatedTarget: elsewhere });
    expect(menuButton().getAttribute('aria-expanded')).toBe('false');

    fireEvent.click(menuButton());
    fireEvent.keyDown(menuButton(), { key: 'Escape' });
    expect(menuButton().getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(menuButton());
  });

  it('closes on a click elsewhere on the page', () => {
    preferencesServer();
    stubNotifications('default');
    render(<Page />);
    fireEvent.click(menuButton());
    fireEvent.pointerDown(screen.getByRole('button', { name: 'Elsewhere' }));
    expect(menuButton().getAttribute('aria-expanded')).toBe('false');
  });
});
