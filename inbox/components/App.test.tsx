// @vitest-environment happy-dom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationSummary } from '../../shared/protocol';
import { App } from './App';
import { bubbles, fakeServer, isolateEachTest, listRows, openInbox, openThree, rowFor, signedIn } from '../testing/inboxTestServer';
import { FakeSocket, json, message, mockApi } from '../testing/testSupport';

isolateEachTest();

describe('the inbox page', () => {
  it('asks for the first admin while no agent exists', async () => {
    fakeServer({ ...signedIn, agent: null, csrfToken: null, setupRequired: true });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Create the first admin' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create admin' })).toBeTruthy();
  });

  it('shows the sign-in form to a signed-out agent', async () => {
    fakeServer({ ...signedIn, agent: null, csrfToken: null });
    render(<App />);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByLabelText('Email')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
  });

  it('shows the brand, the agent’s name, the conversations and a placeholder', async () => {
    await openInbox();
    expect(screen.getByText('Parley Inbox')).toBeTruthy();
    expect(screen.getByText('Grace Hopper')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace']);
    expect(screen.getByText('Select a conversation')).toBeTruthy();
  });

  it('opens a conversation and shows its messages', async () => {
    await openThree();
    expect(screen.getByRole('heading', { name: 'Visitor #3' })).toBeTruthy();
    expect(rowFor('Visitor #3').getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('textbox', { name: 'Reply' })).toBeTruthy();
  });

  it('posts a reply with the CSRF token and a client id, and shows it once when the live feed echoes it', async () => {
    const server = await openThree();
    fireEvent.input(screen.getByRole('textbox', { name: 'Reply' }), { target: { value: 'Yes, we do!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(bubbles()).toEqual(['Do you ship to Norway?', 'Yes, we do!']));

    const post = server.calls.find((c) => c.method === 'POST' && c.path.endsWith('/messages'));
    expect(post?.headers['X-CSRF-Token']).toBe('csrf-123');
    expect(post?.body).toEqual({ body: 'Yes, we do!', clientId: expect.stringMatching(/^[A-Za-z0-9]{8,64}$/), channel: 'chat' });

    const stored = server.state.messages.at(-1) as ChatMessage;
    await act(() =>
      FakeSocket.last.push({
        type: 'message',
        message: stored,
        conversation: { ...(server.state.conversations[0] as ConversationSummary), lastMessageAuthor: 'agent', lastMessagePreview: stored.body, lastMessageAt: stored.createdAt },
      }),
    );
    expect(bubbles()).toEqual(['Do you ship to Norway?', 'Yes, we do!']);
    expect(within(rowFor('Visitor #3')).getByText('You: Yes, we do!')).toBeTruthy();
  });

  it('moves a conversation with a new visitor message to the top, and adds it to the open thread', async () => {
    const server = await openThree();
    const ada = server.state.conversations[1] as ConversationSummary;
    const fresh = message({ id: 300, conversationId: 2, body: 'One more question' });
    await act(() =>
      FakeSocket.last.push({ type: 'message', message: fresh, conversation: { ...ada, lastMessageAt: Date.now(), lastMessagePreview: fresh.body, lastMessageAuthor: 'visitor' } }),
    );
    expect(listRows()).toEqual(['Ada Lovelace', 'Visitor #3']);
    expect(within(rowFor('Ada Lovelace')).getByText('One more question')).toBeTruthy();
    expect(bubbles()).toEqual(['Do you ship to Norway?']); // a different conversation is open

    const three = server.state.conversations[0] as ConversationSummary;
    const inThree = message({ id: 301, conversationId: 3, body: 'Hello?' });
    await act(() =>
      FakeSocket.last.push({ type: 'message', message: inThree, conversation: { ...three, lastMessageAt: Date.now() + 1, lastMessagePreview: 'Hello?' } }),
    );
    expect(bubbles()).toEqual(['Do you ship to Norway?', 'Hello?']);
    expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace']);
  });

  it('turns the green dot on and off as visitors come and go', async () => {
    await openInbox();
    expect(rowFor('Visitor #3').querySelector('.presence-dot')).toBeNull();
    await act(() => FakeSocket.last.push({ type: 'presence', conversationId: 3, online: true }));
    expect(within(rowFor('Visitor #3')).getByRole('img', { name: 'Online' })).toBeTruthy();
    await act(() => FakeSocket.last.push({ type: 'presence', conversationId: 3, online: false }));
    expect(rowFor('Visitor #3').querySelector('.presence-dot')).toBeNull();
  });

  it('renames a conversation when the visitor identifies themselves', async () => {
    const server = await openInbox();
    const three = server.state.conversations[0] as ConversationSummary;
    await act(() => FakeSocket.last.push({ type: 'conversation', conversation: { ...three, title: 'Linus', email: 'linus@example.com' } }));
    expect(listRows()).toEqual(['Linus', 'Ada Lovelace']);
  });

  it('says "Reconnecting…" while the live feed is down, then refetches the list and the open thread', async () => {
    const server = await openThree();
    await act(() => FakeSocket.last.drop());
    expect(screen.getByRole('status').textContent).toContain('Reconnecting…');

    // While we were away: a visitor wrote in conversation 3.
    server.state.messages.push(message({ id: 150, conversationId: 3, body: 'Are you still there?' }));
    const listFetches = server.calls.filter((c) => c.path.startsWith('/api/conversations?')).length;

    await act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await act(() => FakeSocket.last.open());
    await waitFor(() => expect(bubbles()).toEqual(['Do you ship to Norway?', 'Are you still there?']));
    expect(server.calls.filter((c) => c.path.startsWith('/api/conversations?')).length).toBe(listFetches + 1);
    expect(screen.queryByText('Reconnecting…')).toBeNull();
  });

  it('signs out with the CSRF token and returns to the sign-in form', async () => {
    const server = await openInbox();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    const del = server.calls.find((c) => c.method === 'DELETE');
    expect(del).toMatchObject({ path: '/api/session', headers: { 'X-CSRF-Token': 'csrf-123' } });
    await waitFor(() => expect(FakeSocket.last.closed).toBe(true));
  });

  it('goes back to sign-in, saying why, when the session has ended', async () => {
    mockApi((call) =>
      call.path === '/api/session' ? json(signedIn) : json({ error: 'Sign in first' }, 401),
    );
    render(<App />);
    expect(await screen.findByText('Your session has ended. Sign in again.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('titles the document "Parley Inbox"', async () => {
    await import('../main');
    expect(document.title).toBe('Parley Inbox');
  });
});
