// @vitest-environment happy-dom
// Settings › Profile: the agent's own name, picture and password.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentView } from '../../shared/protocol';
import { json, mockApi, type ApiCall } from '../testing/testSupport';
import { Settings } from './Settings';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const grace: AgentView = { id: 2, email: 'grace@example.com', name: 'Grace Hopper', role: 'agent', availability: 'available', avatarUrl: null };

/** The Profile page, answered by `answer` for the profile routes (the General page's loads get empty lists). */
function showProfile(answer: (call: ApiCall) => { status: number; body?: unknown } | null, agent = grace) {
  const api = mockApi((call) => answer(call) ?? json({ savedResponses: [], categories: [], emails: [], nextCursor: null, transport: 'local' }));
  const endedSession = vi.fn(() => false);
  render(<Settings agent={agent} onBack={() => {}} endedSession={endedSession} />);
  fireEvent.click(screen.getByRole('link', { name: 'Profile' }));
  const profile = screen.getByRole('region', { name: 'Profile' });
  return { api, profile, endedSession };
}

const avatarInput = () => screen.getByLabelText('Avatar') as HTMLInputElement;
const choose = (file: File) => fireEvent.change(avatarInput(), { target: { files: [file] } });
const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'me.png', { type: 'image/png' });

describe('Settings › Profile', () => {
  it('is a page of its own, marked as the current one', () => {
    showProfile(() => null);
    expect(screen.getByRole('link', { name: 'Profile' }).getAttribute('aria-current')).toBe('page');
    expect(screen.queryByRole('heading', { name: 'Saved responses' })).toBeNull();
  });

  it('saves the name as the server trimmed it', async () => {
    const { api } = showProfile((call) => (call.path === '/api/session/profile' ? json({ agent: { ...grace, name: 'Amazing Grace' } }) : null));
    const name = screen.getByRole('textbox', { name: 'Name' }) as HTMLInputElement;
    expect(name.value).toBe('Grace Hopper');
    fireEvent.input(name, { target: { value: '  Amazing Grace ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
    await waitFor(() => expect(name.value).toBe('Amazing Grace'));
    expect(api.calls.find((c) => c.path === '/api/session/profile')).toMatchObject({ method: 'PUT', body: { name: '  Amazing Grace ' } });
    expect(screen.getByRole('status').textContent).toBe('Name saved.');
  });

  it('uploads a picture, shows it, and removes it with the keyboard left on the file input', async () => {
    const { api, profile } = showProfile((call) => {
      if (call.path === '/api/session/avatar' && call.method === 'PUT') return json({ avatarUrl: '/api/agents/2/avatar?v=abcd' });
      if (call.path === '/api/session/avatar' && call.method === 'DELETE') return { status: 204 };
      return null;
    });
    expect(within(profile).queryByRole('button', { name: 'Remove avatar' })).toBeNull();
    choose(png());
    const remove = await within(profile).findByRole('button', { name: 'Remove avatar' });
    const upload = api.calls.find((c) => c.path === '/api/session/avatar');
    expect(upload?.headers['Content-Type']).toBe('image/png');
    expect(profile.querySelector('.avatar img')?.getAttribute('src')).toBe('/api/agents/2/avatar?v=abcd');

    remove.focus();
    fireEvent.click(remove);
    await waitFor(() => expect(within(profile).queryByRole('button', { name: 'Remove avatar' })).toBeNull());
    expect(profile.querySelector('.avatar img')).toBeNull();
    expect(document.activeElement).toBe(avatarInput());
  });

  it('refuses a file that is not an image, or over 1 MB, before uploading it', async () => {
    const { api } = showProfile(() => null);
    choose(new File(['<svg/>'], 'me.svg', { type: 'image/svg+xml' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose a PNG, JPEG, WebP or GIF image.');
    choose(new File([new Uint8Array(1024 * 1024 + 1)], 'big.png', { type: 'image/png' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Use an image of at most 1 MB.'));
    expect(api.calls.some((c) => c.path === '/api/session/avatar')).toBe(false);
  });

  it('changes the password, saying the other sessions are signed out, and shows a wrong current password', async () => {
    let attempts = 0;
    const { api } = showProfile((call) => {
      if (call.path !== '/api/session/password') return null;
      return attempts++ === 0 ? json({ error: 'Your current password is wrong' }, 403) : { status: 204 };
    });
    const current = screen.getByLabelText('Current password') as HTMLInputElement;
    const next = screen.getByLabelText('New password') as HTMLInputElement;
    fireEvent.input(current, { target: { value: 'not it' } });
    fireEvent.input(next, { target: { value: 'a brand new password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your current password is wrong');

    fireEvent.input(current, { target: { value: 'the right one' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Password changed. Your other sessions are signed out.'));
    expect(current.value).toBe('');
    expect(api.calls.filter((c) => c.path === '/api/session/password').at(-1)).toMatchObject({
      method: 'PUT',
      body: { currentPassword: 'the right one', newPassword: 'a brand new password' },
    });
  });
});
