// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Setup } from './Setup';
import { SignIn } from './SignIn';
import { json, mockApi } from '../testing/testSupport';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const fill = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('signing in', () => {
  it('shows the server’s error in an alert when the password is wrong', async () => {
    const { calls } = mockApi(() => json({ error: 'Wrong email or password' }, 401));
    const onSignedIn = vi.fn();
    render(<SignIn onSignedIn={onSignedIn} />);
    fill('Email', 'grace@example.com');
    fill('Password', 'nope');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password');
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/session', body: { email: 'grace@example.com', password: 'nope' } });
    expect(calls[0]?.headers['Content-Type']).toBe('application/json');
  });

  it('says how long to wait after too many attempts, counts down, and keeps the typed email', async () => {
    vi.useFakeTimers(); // the countdown's clock; vi.waitFor moves it while it polls
    mockApi(() => json({ error: 'Too many sign-in attempts; try again in 3 seconds', retryAfterSeconds: 3 }, 429));
    render(<SignIn onSignedIn={() => {}} />);
    fill('Email', 'grace@example.com');
    fill('Password', 'nope');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alertText = () => screen.queryByRole('alert')?.textContent ?? null;

    await vi.waitFor(() => expect(alertText()).toBe('Too many attempts. Try again in 3 seconds.'));
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('grace@example.com');
    // Half a second of slack for Preact to start the countdown after the alert's first render.
    act(() => {
      vi.advanceTimersByTime(2_500);
    });
    expect(alertText()).toBe('Too many attempts. Try again in 1 second.');
    act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(alertText()).toBeNull();
  });

  it('signs in with the right password', async () => {
    const session = { agent: { id: 1, email: 'grace@example.com', name: 'Grace', role: 'admin' }, csrfToken: 't', setupRequired: false, channels: { email: true, messenger: false } };
    mockApi(() => json(session));
    const onSignedIn = vi.fn();
    render(<SignIn onSignedIn={onSignedIn} />);
    fill('Email', 'grace@example.com');
    fill('Password', 'correct horse');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session));
  });
});

describe('first-run setup', () => {
  it('creates the first admin from name, email and password', async () => {
    const session = { agent: { id: 1, email: 'ada@example.com', name: 'Ada', role: 'admin' }, csrfToken: 't', setupRequired: false, channels: { email: true, messenger: false } };
    const { calls } = mockApi(() => json(session, 201));
    const onSignedIn = vi.fn();
    render(<Setup onSignedIn={onSignedIn} onSignInInstead={() => {}} />);
    expect(screen.getByRole('heading', { name: 'Create the first admin' })).toBeTruthy();
    fill('Name', 'Ada');
    fill('Email', 'ada@example.com');
    fill('Password', 'analytical engine');
    fireEvent.click(screen.getByRole('button', { name: 'Create admin' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session));
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/setup', body: { name: 'Ada', email: 'ada@example.com', password: 'analytical engine' } });
  });

  it('explains when someone else already created the admin, and offers the sign-in form', async () => {
    mockApi(() => json({ error: 'Parley already has an admin; sign in instead' }, 409));
    const onSignInInstead = vi.fn();
    render(<Setup onSignedIn={() => {}} onSignInInstead={onSignInInstead} />);
    fill('Name', 'Ada');
    fill('Email', 'ada@example.com');
    fill('Password', 'analytical engine');
    fireEvent.click(screen.getByRole('button', { name: 'Create admin' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Parley already has an admin');
    fireEvent.click(screen.getByRole('button', { name: 'Go to sign in' }));
    expect(onSignInInstead).toHaveBeenCalled();
  });
});
