// A scripted inbox server for the page-level tests (App, live features): a few conversations, their
// threads and contacts, and the actions on them, over the mocked fetch and fake socket of testSupport.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import {
  DEFAULT_AGENT_PREFERENCES,
  type Channel,
  type ChatMessage,
  type Note,
  type ConversationSummary,
  type OutboxPage,
  type SavedResponse,
  type SearchResult,
  type TeamMember,
  type SessionView,
} from '../../shared/protocol';
import { App } from '../components/App';
import { contact, FakeSocket, json, message, mockApi, summary, type ApiCall } from './testSupport';

/** Hooks for a page-level test file: a fresh fake WebSocket before each test, a clean page after it. */
export function isolateEachTest() {
  beforeEach(() => {
    FakeSocket.reset();
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });
}

export const grace = { id: 1, email: 'grace@example.com', name: 'Grace Hopper', role: 'admin' as const };
export const colleague: TeamMember = { id: 2, name: 'Alan Turing', avatarUrl: null, available: true };
export const signedIn: SessionView = {
  agent: grace,
  csrfToken: 'csrf-123',
  setupRequired: false,
  channels: { email: true, messenger: false },
  preferences: DEFAULT_AGENT_PREFERENCES,
};

/**
 * A small fake server: conversations #3 and #2 open and #1 complete, the thread of #3, replies stored
 * with increasing ids (queued when they go out by email or Messenger), "Send chat thread", the read /
 * complete / reopen actions, and whatever search results, saved responses, outbox emails and reply
 * refusal (`refuseReplies`: answered 409) a test puts in its state.
 */
export function fakeServer(session: SessionView = signedIn) {
  const t = Date.now() - 10 * 60_000;
  const state = {
    conversations: [
      summary({ id: 3, title: 'Visitor #3', lastMessageAt: t + 2, lastMessagePreview: 'Do you ship to Norway?' }),
      summary({ id: 2, title: 'Ada Lovelace', email: 'ada@example.com', lastMessageAt: t + 1, lastMessagePreview: 'Thanks', lastMessageAuthor: 'agent' }),
      summary({ id: 1, title: 'Old Chat', lastMessageAt: t, lastMessagePreview: 'Bye', status: 'complete' }),
    ] as ConversationSummary[],
    messages: [message({ id: 100, conversationId: 3, body: 'Do you ship to Norway?', createdAt: t + 2 })] as ChatMessage[],
    nextId: 200,
    searchResults: [] as SearchResult[],
    savedResponses: [] as SavedResponse[],
    outbox: { emails: [], nextCursor: null, transport: 'local' } as OutboxPage,
    refuseReplies: null as string | null,
    team: [{ id: grace.id, name: grace.name, avatarUrl: null, available: true }, colleague] as TeamMember[],
    notes: [] as Note[],
    /** What GET /api/session answers (a test may change it, as a restarted server would). */
    session,
  };
  const find = (id: number) => state.conversations.find((c) => c.id === id);
  const api = mockApi((call: ApiCall) => {
    const { method, path } = call;
    if (path === '/api/session' && method === 'GET') return json(state.session);
    if (path === '/api/session' && method === 'DELETE') return { status: 204 };
    if (path.startsWith('/api/search?')) return json({ results: state.searchResults });
    if (path === '/api/saved-responses') {
      return json({ savedResponses: state.savedResponses, categories: [...new Set(state.savedResponses.map((r) => r.category))].sort() });
    }
    if (path === '/api/agents') return json({ agents: [{ ...grace, active: true, createdAt: 0 }] });
    if (path.startsWith('/api/outbox')) return json(state.outbox);
    if (path === '/api/team') return json({ team: state.team });
    if (path.startsWith('/api/conversations?')) {
      const query = new URLSearchParams(path.split('?')[1]);
      const status = query.get('status');
      const assigned = query.get('assigned') ?? 'anyone';
      const owned = (c: ConversationSummary) =>
        assigned === 'anyone' || c.assigneeId === (assigned === 'me' ? (session.agent?.id ?? null) : null);
      return json({
        conversations: state.conversations.filter((c) => (status === 'all' || c.status === status) && owned(c)),
        nextCursor: null,
        unreadConversations: state.conversations.filter((c) => c.status === 'open' && c.unreadCount > 0).length,
      });
    }
    const route = /^\/api\/conversations\/(\d+)(?:\/(\w+))?$/.exec(path);
    const conversation = route && find(Number(route[1]));
    if (!route || !conversation) return json({ error: 'No such API route' }, 404);
    const [, , action] = route;
    if (method === 'GET' && !action) {
      return json({
        conversation,
        messages: state.messages.filter((m) => m.conversationId === conversation.id),
        notes: state.notes.filter((n) => n.conversationId === conversation.id),
        contact: contact({ name: conversation.email ? conversation.title : null, email: conversation.email, pageUrl: 'https://shop.example/pricing' }),
      });
    }
    if (method === 'POST' && action === 'read') conversation.unreadCount = 0;
    if (method === 'POST' && action === 'complete') conversation.status = 'complete';
    if (method === 'POST' && action === 'reopen') conversation.status = 'open';
    if (method === 'POST' && action && ['read', 'complete', 'reopen'].includes(action)) return json({ conversation: { ...conversation } });
    if (method === 'PUT' && action === 'assignee') {
      const { agentId } = call.body as { agentId: number | null };
      conversation.assigneeId = agentId;
      conversation.assigneeName = state.team.find((m) => m.id === agentId)?.name ?? null;
      return json({ conversation: { ...conversation } });
    }
    if (method === 'POST' && action === 'notes') {
      const note: Note = {
        id: state.nextId++,
        conversationId: conversation.id,
        agentId: grace.id,
        agentName: grace.name,
        body: (call.body as { body: string }).body,
        mentions: [],
        createdAt: Date.now(),
      };
      state.notes.push(note);
      return json({ note }, 201);
    }
    if (method === 'POST' && (action === 'messages' || action === 'transcript')) {
      if (state.refuseReplies) return json({ error: state.refuseReplies }, 409);
      const input = call.body as { body?: string; note?: string; clientId: string; channel?: Channel };
      const channel = action === 'transcript' ? 'email' : (input.channel ?? 'chat');
      const stored = message({
        id: state.nextId++,
        conversationId: conversation.id,
        author: 'agent',
        authorName: 'Grace Hopper',
        body: input.body ?? input.note ?? 'Chat transcript',
        clientId: input.clientId,
        channel,
        deliveryState: channel === 'chat' ? null : 'queued',
      });
      state.messages.push(stored);
      return json({ message: stored }, 201);
    }
    return json({ error: 'No such API route' }, 404);
  });
  return { ...api, state };
}

export const listRows = () =>
  [...screen.getByRole('list', { name: 'Conversations' }).querySelectorAll('.row-title')].map((e) => e.textContent);

export const rowFor = (title: string) => {
  const row = [...screen.getByRole('list', { name: 'Conversations' }).querySelectorAll('button')].find((b) =>
    b.textContent?.includes(title),
  );
  if (!row) throw new Error(`no row for ${title}`);
  return row;
};

export const bubbles = () => [...screen.getByRole('log').querySelectorAll('.bubble')].map((b) => b.textContent);

export async function openInbox(prepare: (server: ReturnType<typeof fakeServer>) => void = () => {}, session = signedIn) {
  const server = fakeServer(session);
  prepare(server);
  render(<App />);
  await screen.findByRole('list', { name: 'Conversations' });
  await act(() => FakeSocket.last.open());
  return server;
}

export async function openThree() {
  const server = await openInbox();
  fireEvent.click(rowFor('Visitor #3'));
  await waitFor(() => expect(bubbles()).toEqual(['Do you ship to Norway?']));
  return server;
}
