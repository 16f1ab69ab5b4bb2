// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { ConversationSummary } from '../../shared/protocol';
import { bubbles, fakeServer, grace, isolateEachTest, listRows, openInbox, openThree, rowFor, signedIn } from '../testing/inboxTestServer';
import { FakeSocket, message, summary } from '../testing/testSupport';
import { VISITOR_TYPING_TIMEOUT_MS } from '../state/useActivity';
import { TYPING_EVERY_MS } from '../state/useInbox';
import { App } from './App';

isolateEachTest();

type Server = ReturnType<typeof fakeServer>;
const conversation = (server: Server, id: number) => server.state.conversations.find((c) => c.id === id) as ConversationSummary;
const push = (frame: Parameters<FakeSocket['push']>[0]) => act(() => FakeSocket.last.push(frame));
const tab = (name: string) => screen.getByRole('tab', { name });

describe('read state', () => {
  it('shows unread conversations in bold with a count, the number of them in the top bar and the tab title', async () => {
    await openInbox((server) => (conversation(server, 3).unreadCount = 2));
    expect(rowFor('Visitor #3').classList).toContain('unread');
    expect(within(rowFor('Visitor #3')).getByLabelText('2 unread').textContent).toBe('2');
    expect(rowFor('Ada Lovelace').classList).not.toContain('unread');
    // A number to see, words to hear: not an unlabelled dot.
    const count = screen.getByText('1 unread conversation').parentElement as HTMLElement;
    expect(count.textContent).toBe('11 unread conversation');
    expect(count.querySelector('[aria-hidden="true"]')?.textContent).toBe('1');
    expect(document.title).toBe('(1) Parley Inbox');

    await push({ type: 'unread', conversations: 3 });
    expect(screen.getByText('3 unread conversations')).toBeTruthy();
  });

  it('marks a conversation read when the agent opens it, and follows the server’s frames', async () => {
    const server = await openInbox((s) => (conversation(s, 3).unreadCount = 2));
    fireEvent.click(rowFor('Visitor #3'));
    await waitFor(() => expect(rowFor('Visitor #3').classList).not.toContain('unread'));
    expect(server.calls.some((c) => c.method === 'POST' && c.path === '/api/conversations/3/read')).toBe(true);
    expect(server.calls.find((c) => c.path.endsWith('/read'))?.headers['X-CSRF-Token']).toBe('csrf-123');

    await push({ type: 'unread', conversations: 0 });
    expect(screen.queryByText(/unread conversation/)).toBeNull();
    expect(document.title).toBe('Parley Inbox');

    // Another agent's visitor writes in #2: bold until someone opens it.
    await push({ type: 'conversation', conversation: { ...conversation(server, 2), unreadCount: 1 } });
    await push({ type: 'unread', conversations: 1 });
    expect(rowFor('Ada Lovelace').classList).toContain('unread');
    expect(document.title).toBe('(1) Parley Inbox');
    await push({ type: 'conversation', conversation: { ...conversation(server, 2), unreadCount: 0 } });
    expect(rowFor('Ada Lovelace').classList).not.toContain('unread');
  });

  it('reads a visitor message at once when its conversation is open', async () => {
    const server = await openThree();
    const before = server.calls.filter((c) => c.path.endsWith('/read')).length;
    const fresh = message({ id: 400, conversationId: 3, body: 'Still there?' });
    await push({ type: 'message', message: fresh, conversation: { ...conversation(server, 3), unreadCount: 1, lastMessageAt: Date.now() } });
    expect(rowFor('Visitor #3').classList).not.toContain('unread');
    await waitFor(() => expect(server.calls.filter((c) => c.path.endsWith('/read')).length).toBe(before + 1));
  });
});

describe('live frames and a refetch crossing', () => {
  it('keeps a rename a frame brought while the list was being fetched, over the older page', async () => {
    const server = await openInbox();
    // The next list page is read from the server now, and held until the rename's frame has come.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const serverFetch = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await serverFetch(input, init);
      if (String(input).startsWith('/api/conversations?')) await held;
      return response;
    });
    fireEvent.click(tab('All'));
    await waitFor(() => expect(server.calls.some((c) => c.path.startsWith('/api/conversations?status=all'))).toBe(true));
    conversation(server, 3).title = 'Mia Wong';
    await push({ type: 'conversation', conversation: { ...conversation(server, 3) } });
    await act(async () => release());
    await waitFor(() => expect(listRows()).toHaveLength(server.state.conversations.length));
    expect(listRows()).toContain('Mia Wong');
    expect(listRows()).not.toContain('Visitor #3');
  });
});

describe('status filters', () => {
  it('shows open conversations first, and refetches for "Complete" and "All"', async () => {
    const server = await openInbox();
    expect(tab('Open').getAttribute('aria-selected')).toBe('true');
    expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace']);
    expect(server.calls.find((c) => c.path.startsWith('/api/conversations?'))?.path).toContain('status=open');

    fireEvent.click(tab('Complete'));
    await waitFor(() => expect(listRows()).toEqual(['Old Chat']));
    expect(tab('Complete').getAttribute('aria-selected')).toBe('true');
    expect(within(rowFor('Old Chat')).getByLabelText('Complete')).toBeTruthy();

    fireEvent.click(tab('All'));
    await waitFor(() => expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace', 'Old Chat']));
    expect(server.calls.at(-1)?.path).toContain('status=all');
  });

  it('drops a conversation completed elsewhere from "Open", and brings it back when reopened', async () => {
    const server = await openInbox();
    const ada = conversation(server, 2);
    await push({ type: 'conversation', conversation: { ...ada, status: 'complete' } });
    expect(listRows()).toEqual(['Visitor #3']);
    await push({ type: 'conversation', conversation: { ...ada, status: 'open' } });
    expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace']);
  });

  it('completes and reopens the open conversation from its header', async () => {
    const server = await openThree();
    fireEvent.click(screen.getByRole('button', { name: 'Complete' }));
    await screen.findByRole('button', { name: 'Reopen' });
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/conversations/3/complete' });
    expect(listRows()).toEqual(['Ada Lovelace']); // "Open" is shown; the thread stays open
    expect(screen.getByRole('heading', { name: 'Visitor #3' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Reopen' }));
    await screen.findByRole('button', { name: 'Complete' });
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/conversations/3/reopen' });
    expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace']);
  });
});

describe('what the agent tells the server', () => {
  it('says which conversation is open, again after a reconnect', async () => {
    await openInbox();
    expect(FakeSocket.last.sent).toEqual([{ type: 'viewing', conversationId: null }]);
    fireEvent.click(rowFor('Visitor #3'));
    expect(FakeSocket.last.sent.at(-1)).toEqual({ type: 'viewing', conversationId: 3 });

    await act(() => FakeSocket.last.drop());
    await act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await act(() => FakeSocket.last.open());
    expect(FakeSocket.last.sent).toEqual([{ type: 'viewing', conversationId: 3 }]);

    fireEvent.click(screen.getByRole('button', { name: 'Back to conversations' }));
    expect(FakeSocket.last.sent.at(-1)).toEqual({ type: 'viewing', conversationId: null });
  });

  it('says the agent is typing at most once every 2 seconds', async () => {
    await openThree();
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const box = screen.getByRole('textbox', { name: 'Reply' });
    const typingFrames = () => FakeSocket.last.sent.filter((f) => (f as { type: string }).type === 'typing');
    fireEvent.input(box, { target: { value: 'H' } });
    fireEvent.input(box, { target: { value: 'He' } });
    now += TYPING_EVERY_MS - 1;
    fireEvent.input(box, { target: { value: 'Hel' } });
    expect(typingFrames()).toEqual([{ type: 'typing', conversationId: 3 }]);
    now += 1;
    fireEvent.input(box, { target: { value: 'Hell' } });
    expect(typingFrames()).toHaveLength(2);
  });
});

describe('live notes above the reply box', () => {
  it('shows the visitor’s draft as text, and hides it when cleared, sent or quiet for 6 s', async () => {
    const server = await openThree();
    await push({ type: 'visitorTyping', conversationId: 2, preview: 'elsewhere' });
    expect(document.querySelector('.visitor-typing')).toBeNull();

    await push({ type: 'visitorTyping', conversationId: 3, preview: '<b>Do you</b>' });
    const note = screen.getByText('Visitor is typing: <b>Do you</b>');
    expect(note.classList).toContain('visitor-typing');
    expect(note.getAttribute('role')).toBe('status');
    expect(note.querySelector('b')).toBeNull();
    await push({ type: 'visitorTyping', conversationId: 3, preview: '' });
    expect(document.querySelector('.visitor-typing')).toBeNull();

    await push({ type: 'visitorTyping', conversationId: 3, preview: 'Do you ship' });
    await push({ type: 'message', message: message({ id: 500, conversationId: 3, body: 'Do you ship to Oslo?' }), conversation: conversation(server, 3) });
    expect(document.querySelector('.visitor-typing')).toBeNull();

    vi.useFakeTimers();
    await push({ type: 'visitorTyping', conversationId: 3, preview: 'One more' });
    await act(() => {
      vi.advanceTimersByTime(VISITOR_TYPING_TIMEOUT_MS - 1_000);
    });
    await push({ type: 'visitorTyping', conversationId: 3, preview: 'One more thing' });
    await act(() => {
      vi.advanceTimersByTime(VISITOR_TYPING_TIMEOUT_MS - 1_000);
    });
    expect(screen.getByText('Visitor is typing: One more thing')).toBeTruthy();
    await act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(document.querySelector('.visitor-typing')).toBeNull();
  });

  it('names the other agents on the conversation, never the one signed in', async () => {
    await openThree();
    await push({
      type: 'viewers',
      conversationId: 3,
      viewers: [
        { agentId: grace.id, name: grace.name, typing: false },
        { agentId: 7, name: 'Linus', typing: false },
      ],
    });
    const notice = document.querySelector('.collision-notice');
    expect(notice?.getAttribute('role')).toBe('status');
    expect(notice?.textContent).toBe('Linus is also viewing');
    await push({ type: 'viewers', conversationId: 3, viewers: [{ agentId: 7, name: 'Linus', typing: true }] });
    expect(screen.getByText('Linus is typing a reply…')).toBeTruthy();
    await push({ type: 'viewers', conversationId: 3, viewers: [{ agentId: grace.id, name: grace.name, typing: false }] });
    expect(document.querySelector('.collision-notice')).toBeNull();
  });
});

describe('the contact panel', () => {
  it('shows who the visitor is beside the thread', async () => {
    await openThree();
    const panel = await screen.findByRole('complementary', { name: 'Contact details' });
    expect(within(panel).getByText('Anonymous visitor')).toBeTruthy();
    expect(within(panel).getByRole('link', { name: 'https://shop.example/pricing' })).toBeTruthy();
  });
});

describe('search', () => {
  it('searches as the agent types, opens a result, and returns to the list when cleared', async () => {
    const server = await openInbox();
    server.state.searchResults = [{ conversation: conversation(server, 1), messageId: 9, snippet: 'we «ship» worldwide' }];
    const box = screen.getByRole('searchbox', { name: 'Search conversations' });
    fireEvent.input(box, { target: { value: 'sh' } });
    fireEvent.input(box, { target: { value: 'ship' } });
    const list = await screen.findByRole('list', { name: 'Search results' });
    expect(server.calls.filter((c) => c.path.startsWith('/api/search?')).map((c) => c.path)).toEqual(['/api/search?q=ship']);
    expect(list.querySelector('mark')?.textContent).toBe('ship');

    fireEvent.click(within(list).getByRole('button'));
    expect(await screen.findByRole('heading', { name: 'Old Chat' })).toBeTruthy();

    fireEvent.input(box, { target: { value: '' } });
    expect(screen.queryByRole('list', { name: 'Search results' })).toBeNull();
    expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace']);
  });
});

describe('keyboard', () => {
  it('moves through the list with j / k and the arrows, and opens the highlighted row with Enter', async () => {
    await openInbox();
    rowFor('Visitor #3').focus(); // Tab reaches the list: the walk starts from the focused row
    const key = (k: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key: k });
    key('j');
    expect(rowFor('Ada Lovelace').classList).toContain('highlighted');
    expect(document.activeElement).toBe(rowFor('Ada Lovelace'));
    key('ArrowUp');
    expect(rowFor('Visitor #3').classList).toContain('highlighted');
    key('k'); // the top stays the top
    expect(document.activeElement).toBe(rowFor('Visitor #3'));
    key('ArrowDown');
    expect(document.activeElement).toBe(rowFor('Ada Lovelace'));
    key('Enter');
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeTruthy();
  });

  it('leaves keys alone while the agent types', async () => {
    await openThree();
    const box = screen.getByRole('textbox', { name: 'Reply' });
    fireEvent.keyDown(box, { key: 'j' });
    expect(document.querySelector('.row.highlighted')).toBeNull();
  });

  it('ignores j and k while the focus is outside the list (WCAG 2.1.4)', async () => {
    await openThree();
    for (const outside of [document.body, screen.getByRole('button', { name: 'Complete' }), screen.getByRole('button', { name: 'Settings' })]) {
      fireEvent.keyDown(outside, { key: 'j' });
      fireEvent.keyDown(outside, { key: 'k' });
    }
    expect(document.querySelector('.row.highlighted')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Visitor #3' })).toBeTruthy();
  });
});

describe('the live region', () => {
  const region = () => document.querySelector('[aria-live="polite"]:not(.counter)') as HTMLElement;

  it('announces a visitor writing in another conversation, and not in the open one', async () => {
    const server = await openThree();
    expect(region().textContent).toBe(''); // in the page before anything is said
    await push({ type: 'message', message: message({ id: 500, conversationId: 2, body: 'Hello?' }), conversation: conversation(server, 2) });
    expect(region().textContent).toBe('New message from Ada Lovelace');

    await push({ type: 'message', message: message({ id: 501, conversationId: 3, body: 'Still there?' }), conversation: conversation(server, 3) });
    expect(region().textContent).toBe('New message from Ada Lovelace'); // the open thread speaks for itself

    // The same words again are a new node, so a screen reader says them again.
    const first = region().firstElementChild;
    await push({ type: 'message', message: message({ id: 502, conversationId: 2, body: 'Anyone?' }), conversation: conversation(server, 2) });
    expect(region().textContent).toBe('New message from Ada Lovelace');
    expect(region().firstElementChild).not.toBe(first);
  });

  it('stays quiet for agents’ replies and automatic emails', async () => {
    const server = await openThree();
    await push({ type: 'message', message: message({ id: 510, conversationId: 2, author: 'agent', body: 'On it' }), conversation: conversation(server, 2) });
    await push({ type: 'message', message: message({ id: 511, conversationId: 2, automatic: true, body: 'Out of office' }), conversation: conversation(server, 2) });
    expect(region().textContent).toBe('');
  });
});

describe('focus after an action removes the focused control', () => {
  it('returns to the conversation’s row after Back', async () => {
    await openThree();
    const back = screen.getByRole('button', { name: 'Back to conversations' });
    back.focus();
    fireEvent.click(back);
    await waitFor(() => expect(document.activeElement).toBe(rowFor('Visitor #3')));
  });

  it('returns to the Settings button after "Back to inbox"', async () => {
    await openThree();
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const back = await screen.findByRole('button', { name: 'Back to inbox' });
    back.focus();
    fireEvent.click(back);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Settings' })));
  });

  it('keeps it on Complete while the server answers, and on Reopen after', async () => {
    await openThree();
    const complete = screen.getByRole('button', { name: 'Complete' });
    complete.focus();
    fireEvent.click(complete);
    expect(complete.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(complete);
    const reopen = await screen.findByRole('button', { name: 'Reopen' });
    expect(document.activeElement).toBe(reopen);
  });
});

describe('the session', () => {
  it('returns to sign-in when the server says this agent was signed out', async () => {
    await openInbox();
    await push({ type: 'signedOut' });
    expect(await screen.findByText('Your session has ended. Sign in again.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('opens Settings from the top bar and comes back to the same thread', async () => {
    await openThree();
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect(await screen.findByRole('heading', { name: 'Saved responses' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to inbox' }));
    expect(screen.queryByRole('heading', { name: 'Saved responses' })).toBeNull();
    expect(bubbles()).toEqual(['Do you ship to Norway?']);
  });
});

describe('replying by email and Messenger', () => {
  /** Ada (#2) left her email and is offline. */
  async function openAda() {
    const server = await openInbox();
    fireEvent.click(rowFor('Ada Lovelace'));
    await screen.findByRole('heading', { name: 'Ada Lovelace' });
    return server;
  }
  const channel = () => (screen.getByLabelText('Channel') as HTMLSelectElement).value;
  const box = () => screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;

  it('switches the reply to Email when the visitor leaves, and back to Web Chat when they return', async () => {
    await openAda();
    expect(channel()).toBe('email');
    await push({ type: 'presence', conversationId: 2, online: true });
    expect(channel()).toBe('chat');
    await push({ type: 'presence', conversationId: 2, online: false });
    expect(channel()).toBe('email');
  });

  it('shows an email reply as Queued, then Sent or Failed as the server reports it', async () => {
    const server = await openAda();
    fireEvent.input(box(), { target: { value: 'It ships today' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const log = screen.getByRole('log');
    await waitFor(() => expect(within(log).getByText('Queued')).toBeTruthy());
    expect(server.calls.find((c) => c.path === '/api/conversations/2/messages')?.body).toMatchObject({ body: 'It ships today', channel: 'email' });

    const stored = server.state.messages.at(-1)!;
    await push({ type: 'messageUpdated', message: { ...stored, deliveryState: 'sent' } });
    expect(within(log).queryByText('Queued')).toBeNull();
    expect(within(log).getByText('Sent')).toBeTruthy();
    await push({ type: 'messageUpdated', message: { ...stored, deliveryState: 'failed', deliveryError: 'Mailbox full' } });
    expect(within(log).getByText('Failed: Mailbox full')).toBeTruthy();
    expect(bubbles()).toEqual(['It ships today']);
  });

  it('shows the server’s refusal by the reply box and keeps the text', async () => {
    const server = await openAda();
    server.state.refuseReplies = 'This visitor has no email address yet';
    fireEvent.input(box(), { target: { value: 'Hello again' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This visitor has no email address yet');
    expect(box().value).toBe('Hello again');
  });

  it('emails the chat thread with "Send chat thread"', async () => {
    const server = await openAda();
    fireEvent.input(box(), { target: { value: 'As promised' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send chat thread' }));
    await waitFor(() => expect(box().value).toBe(''));
    const post = server.calls.find((c) => c.path === '/api/conversations/2/transcript');
    expect(post).toMatchObject({ method: 'POST', body: { note: 'As promised' } });
    expect(post?.headers['X-CSRF-Token']).toBe('csrf-123');
  });

  it('marks email and Messenger conversations in the list', async () => {
    await openInbox((server) => {
      server.state.conversations.push(
        summary({ id: 5, kind: 'messenger', title: 'Sam Reed', lastMessageAt: 5 }),
        summary({ id: 6, kind: 'email', title: 'bob@example.com', email: 'bob@example.com', lastMessageAt: 4 }),
      );
    });
    expect(rowFor('Sam Reed').querySelector('.channel-hint')?.textContent).toBe('Messenger');
    expect(rowFor('bob@example.com').querySelector('.channel-hint')?.textContent).toBe('Email');
    expect(rowFor('Visitor #3').querySelector('.channel-hint')).toBeNull();
  });
});

describe('defects found by hand', () => {
  it('updates the contact panel when the visitor identifies while their conversation is open', async () => {
    const server = await openThree();
    const panel = await screen.findByRole('complementary', { name: 'Contact details' });
    expect(within(panel).getByText('Anonymous visitor')).toBeTruthy();

    const identified = Object.assign(conversation(server, 3), { title: 'Mia Wong', email: 'mia@example.com' });
    await push({ type: 'conversation', conversation: { ...identified } });
    await waitFor(() => expect(within(panel).getByRole('heading', { name: 'Mia Wong' })).toBeTruthy());
    expect(within(panel).getByText('mia@example.com')).toBeTruthy();
    expect(within(panel).queryByText('Anonymous visitor')).toBeNull();
  });

  it('does not refetch the contact for news that leaves who the visitor is unchanged', async () => {
    const server = await openThree();
    const loads = () => server.calls.filter((c) => c.method === 'GET' && c.path === '/api/conversations/3').length;
    const before = loads();
    await push({ type: 'conversation', conversation: { ...conversation(server, 3), lastMessagePreview: 'Anything else?' } });
    await push({ type: 'presence', conversationId: 3, online: true });
    expect(loads()).toBe(before);
  });

  it('offers Messenger once the server supports it after a reconnect, without a reload', async () => {
    const server = await openInbox((s) => {
      s.state.conversations.push(summary({ id: 5, kind: 'messenger', title: 'Sam Reed', lastInboundAt: Date.now() - 60_000, lastMessageAt: 5 }));
    });
    fireEvent.click(rowFor('Sam Reed'));
    await screen.findByRole('heading', { name: 'Sam Reed' });
    expect(screen.getByText('Messenger: Messenger is not configured on this server')).toBeTruthy();

    // The server restarts with Messenger configured; the inbox's socket drops and comes back.
    server.state.session = { ...server.state.session, channels: { email: true, messenger: true } };
    await act(() => FakeSocket.last.drop());
    await act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await act(() => FakeSocket.last.open());
    await waitFor(() => expect(screen.queryByText('Messenger: Messenger is not configured on this server')).toBeNull());
    fireEvent.input(screen.getByRole('textbox', { name: 'Reply' }), { target: { value: 'Hi Sam' } });
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says "No open conversations" with a way to Complete when only completed ones exist', async () => {
    const server = fakeServer();
    server.state.conversations.forEach((c) => (c.status = 'complete'));
    render(<App />);
    const note = await screen.findByText(/^No open conversations/);
    expect(note.textContent).not.toMatch(/say hello/);
    fireEvent.click(await screen.findByRole('button', { name: 'Show completed conversations' }));
    await waitFor(() => expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace', 'Old Chat']));
    expect(tab('Complete').getAttribute('aria-selected')).toBe('true');
  });

  it('offers Complete once the last open conversation is completed here or elsewhere', async () => {
    const server = await openInbox();
    await push({ type: 'conversation', conversation: { ...conversation(server, 2), status: 'complete' } });
    await push({ type: 'conversation', conversation: { ...conversation(server, 3), status: 'complete' } });
    expect(screen.getByText('No open conversations.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Show completed conversations' })).toBeTruthy();
  });

  it('keeps "say hello" for a brand new inbox with no conversations at all', async () => {
    fakeServer().state.conversations = [];
    render(<App />);
    expect((await screen.findByText(/^No conversations yet/)).textContent).toMatch(/say hello/);
    expect(screen.getByRole('link', { name: 'Open the demo site' })).toBeTruthy();
  });
});

describe('notifications', () => {
  /** Records every notification the page shows; the browser has allowed them. */
  function recordNotifications() {
    const shown: { title: string; options: NotificationOptions; instance: { onclick: (() => void) | null; close: () => void } }[] = [];
    class Recorded {
      static permission: NotificationPermission = 'granted';
      static requestPermission = vi.fn(async () => 'granted' as const);
      onclick: (() => void) | null = null;
      close = vi.fn();
      constructor(title: string, options: NotificationOptions) {
        shown.push({ title, options, instance: this });
      }
    }
    vi.stubGlobal('Notification', Recorded);
    return shown;
  }
  const withDesktop = { ...signedIn, preferences: { ...signedIn.preferences, desktopNotifications: true } };

  it('notifies once for a visitor message in another conversation, and opens it when clicked', async () => {
    const shown = recordNotifications();
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const server = await openInbox(() => {}, withDesktop);
    fireEvent.click(rowFor('Visitor #3'));
    await waitFor(() => expect(bubbles()).toEqual(['Do you ship to Norway?']));

    await push({ type: 'message', message: message({ id: 401, conversationId: 3, body: 'Still there?' }), conversation: conversation(server, 3) });
    expect(shown).toHaveLength(0); // open and on screen

    const fromAda = message({ id: 402, conversationId: 2, body: 'One more thing\nabout my order' });
    await push({ type: 'message', message: fromAda, conversation: { ...conversation(server, 2), unreadCount: 1 } });
    expect(shown.map((n) => [n.title, n.options.body, n.options.tag])).toEqual([['Ada Lovelace', 'One more thing', 'conversation:2']]);

    await act(() => shown[0]!.instance.onclick?.());
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeTruthy();
    expect(shown[0]!.instance.close).toHaveBeenCalled();
  });

  it('notifies an agent mentioned in a private note, naming who mentioned them', async () => {
    const shown = recordNotifications();
    await openInbox(() => {}, withDesktop);
    const note = { id: 9, conversationId: 2, agentId: 7, agentName: 'Linus', body: '@Grace can you take this?\nRefund', mentions: [grace.id], createdAt: Date.now() };
    await push({ type: 'note', note });
    await push({ type: 'note', note: { ...note, id: 10, mentions: [8] } });
    expect(shown.map((n) => [n.title, n.options.body])).toEqual([['Linus mentioned you', '@Grace can you take this?']]);
  });

  it('plays the sound for news when the agent chose it, without desktop notifications', async () => {
    const shown = recordNotifications();
    const tones: number[] = [];
    class RecordedAudio {
      currentTime = 0;
      destination = {};
      resume = async () => {};
      createOscillator() {
        return { type: '', frequency: { value: 0 }, connect: (next: unknown) => next, start: () => tones.push(1), stop: () => {} };
      }
      createGain() {
        return { gain: { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} }, connect: (next: unknown) => next };
      }
    }
    vi.stubGlobal('AudioContext', RecordedAudio);
    const server = await openInbox(() => {}, { ...signedIn, preferences: { ...signedIn.preferences, sound: true } });
    await push({ type: 'message', message: message({ id: 405, conversationId: 2, body: 'Hi' }), conversation: conversation(server, 2) });
    expect(tones.length).toBeGreaterThan(0);
    expect(shown).toHaveLength(0);
  });

  it('notifies for the open conversation too while the window is in the background', async () => {
    const shown = recordNotifications();
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const server = await openThree();
    await push({ type: 'message', message: message({ id: 403, conversationId: 3, body: 'Hello?' }), conversation: conversation(server, 3) });
    expect(shown).toHaveLength(0); // desktop notifications are off by default
    cleanup();

    const again = await openInbox(() => {}, withDesktop);
    fireEvent.click(rowFor('Visitor #3'));
    await push({ type: 'message', message: message({ id: 404, conversationId: 3, body: 'Hello?' }), conversation: conversation(again, 3) });
    expect(shown.map((n) => n.title)).toEqual(['Visitor #3']);
  });
});
