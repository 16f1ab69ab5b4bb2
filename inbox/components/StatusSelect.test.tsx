// @vitest-environment happy-dom
// The top bar's Status select, and the name and picture beside it following the team news.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentView } from '../../shared/protocol';
import { setTeam } from '../state/team';
import { json, mockApi } from '../testing/testSupport';
import { TopBar } from './TopBar';

afterEach(() => {
  cleanup();
  setTeam(null);
  vi.unstubAllGlobals();
});

const grace: AgentView = { id: 2, email: 'grace@example.com', name: 'Grace Hopper', role: 'agent', availability: 'away', avatarUrl: null };

const showTopBar = (agent = grace) =>
  render(<TopBar agent={agent} unread={0} notifications={null} onSettings={() => {}} onSignOut={() => {}} signingOut={false} />);

const status = () => screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement;

describe('Status', () => {
  it('starts from the choice the agent made last time, and saves a new one', async () => {
    const api = mockApi((call) => json(call.body));
    showTopBar();
    expect(status().value).toBe('away');
    expect([...status().options].map((o) => o.text)).toEqual(['Available', 'Away']);

    fireEvent.change(status(), { target: { value: 'available' } });
    await waitFor(() => expect(api.calls).toHaveLength(1));
    expect(api.calls[0]).toMatchObject({ method: 'PUT', path: '/api/session/availability', body: { availability: 'available' } });
    expect(status().value).toBe('available');
  });

  it('goes back to the old choice and says why when the server refuses', async () => {
    mockApi(() => json({ error: 'Sign in first' }, 500));
    showTopBar();
    fireEvent.change(status(), { target: { value: 'available' } });
    expect((await screen.findByRole('alert')).textContent).toBe('Could not change your status: Sign in first');
    expect(status().value).toBe('away');
  });

  it('follows a change made in another tab, as the team news reports it', async () => {
    showTopBar();
    setTeam([{ id: 2, name: 'Grace Hopper', avatarUrl: null, available: true }]);
    await waitFor(() => expect(status().value).toBe('available'));
  });
});

describe('the signed-in agent', () => {
  it('shows the name and picture the team news last gave, changed in Profile here or elsewhere', async () => {
    const { container } = showTopBar();
    expect(screen.getByText('Grace Hopper')).toBeTruthy();
    setTeam([{ id: 2, name: 'Amazing Grace', avatarUrl: '/api/agents/2/avatar?v=1234', available: false }]);
    await screen.findByText('Amazing Grace');
    expect(container.querySelector('.topbar .avatar img')?.getAttribute('src')).toBe('/api/agents/2/avatar?v=1234');
  });
});
