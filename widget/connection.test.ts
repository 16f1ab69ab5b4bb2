// The widget's connection logic against a real Parley server, using the `ws` client in place of the
// browser's WebSocket (same API). Covers the promises a visitor relies on: nothing is created until
// they write, and messages typed while offline arrive once, in order, when the server is back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { defaultVisitorLimits } from '../server/config';
import { AgentSession, startTestParley, visitorSocketUrl, type TestParley } from '../server/testing';
import { ChatConnection, type SavedOutbox } from './connection';
import type { VisitorTokenStore } from './visitorCookie';

let parley: TestParley;
let connection: ChatConnection | undefined;
afterEach(async () => {
  connection?.stop();
  await parley.destroy();
});

function memoryTokens(initial?: string): VisitorTokenStore & { value?: string } {
  const store = {
    value: initial,
    read: () => store.value,
    write: (token: string) => {
      store.value = token;
    },
    clear: () => {
      store.value = undefined;
    },
  };
  return store;
}

function connect(tokens: VisitorTokenStore, ackTimeoutMs?: number): ChatConnection {
  connection = new ChatConnection({
    socketUrl: visitorSocketUrl(parley),
    tokens,
    onChange: () => {},
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
    ackTimeoutMs,
  });
  connection.start();
  return connection;
}

const storedBodies = () =>
  (parley.database.sqlite.prepare('select body from messages order by id').all() as { body: string }[]).map((r) => r.body);

describe('widget connection', () => {
  it('stays offline for a new visitor until they write, then stores the issued token', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    const chat = connect(tokens);
    expect(chat.status).toBe('idle');

    chat.send('Hello!');
    expect(chat.messages).toMatchObject([{ body: 'Hello!', state: 'sending' }]);
    await vi.waitFor(() => expect(chat.messages).toMatchObject([{ body: 'Hello!', state: 'sent' }]));
    expect(tokens.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('sends messages typed while the server was down once, in order, when it comes back', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    const chat = connect(tokens);
    chat.send('before the outage');
    await vi.waitFor(() => expect(chat.messages[0]?.state).toBe('sent'));

    const { port, dir } = parley;
    await parley.close();
    await vi.waitFor(() => expect(chat.status).toBe('offline'));
    chat.send('typed offline 1');
    chat.send('typed offline 2');
    chat.send('typed offline 3');
    expect(chat.messages.map((m) => m.state)).toEqual(['sent', 'sending', 'sending', 'sending']);

    parley = await startTestParley({ port }, dir);
    chat.reconnectNow();
    await vi.waitFor(() => expect(chat.messages.every((m) => m.state === 'sent')).toBe(true), { timeout: 15_000 });
    expect(storedBodies()).toEqual(['before the outage', 'typed offline 1', 'typed offline 2', 'typed offline 3']);
    expect(chat.messages.map((m) => m.body)).toEqual(storedBodies());
  });

  it('marks a message failed when it is not acknowledged in time, and delivers it on retry', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    const chat = connect(tokens, 300);
    chat.send('first');
    await vi.waitFor(() => expect(chat.messages[0]?.state).toBe('sent'));
    const { port, dir } = parley;
    await parley.close();
    chat.send('stuck');
    await vi.waitFor(() => expect(chat.messages[1]?.state).toBe('failed'), { timeout: 5000 });

    parley = await startTestParley({ port }, dir);
    chat.retry(chat.messages[1]!.key);
    await vi.waitFor(() => expect(chat.messages[1]?.state).toBe('sent'), { timeout: 15_000 });
    expect(storedBodies()).toEqual(['first', 'stuck']);
  });

  it('loads the full history for a returning visitor and counts unseen agent replies', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    const first = connect(tokens);
    first.send('Is the espresso blend in stock?');
    await vi.waitFor(() => expect(first.messages[0]?.id).not.toBeNull());
    const agent = await AgentSession.signIn(parley);
    const conversationId = first.messages[0]!.id && (await (await agent.request('/api/conversations')).json()).conversations[0].id;
    await agent.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body: 'It is!' } });
    await vi.waitFor(() => expect(first.unreadCount).toBe(1));
    first.stop();

    // A new page load with the same cookie.
    const again = connect(tokens);
    await vi.waitFor(() => expect(again.messages.map((m) => m.body)).toEqual(['Is the espresso blend in stock?', 'It is!']));
    expect(again.messages[1]).toMatchObject({ author: 'agent', authorName: 'Ada' });
    expect(again.unreadCount).toBe(1);
    again.markSeen();
    expect(again.unreadCount).toBe(0);
  });

  it('forgets a token the server does not know and starts a new thread on the next message', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens('a-token-from-another-server');
    const chat = connect(tokens);
    await vi.waitFor(() => expect(tokens.value).toBeUndefined());
    await vi.waitFor(() => expect(chat.status).toBe('idle'));
    chat.send('hi');
    await vi.waitFor(() => expect(chat.messages[0]?.state).toBe('sent'));
    expect(tokens.value).toBeDefined();
  });
});

describe('typing', () => {
  it('shows the agent typing a reply until their message arrives', async () => {
    parley = await startTestParley();
    const chat = connect(memoryTokens());
    chat.send('hello');
    await vi.waitFor(() => expect(chat.messages[0]?.id).not.toBeNull());
    const agent = await AgentSession.signIn(parley);
    const feed = await agent.openSocket();
    const { conversations } = (await (await agent.request('/api/conversations')).json()) as { conversations: { id: number }[] };
    const conversationId = conversations[0]!.id;
    feed.send({ type: 'typing', conversationId });
    await vi.waitFor(() => expect(chat.agentTyping).toBe('Ada'));
    await agent.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body: 'Here I am' } });
    await vi.waitFor(() => expect(chat.agentTyping).toBeNull());
    feed.close();
  });

  it('sends the draft to agents at most once per 2 s, ending with the newest', async () => {
    parley = await startTestParley();
    const chat = connect(memoryTokens());
    chat.send('hello');
    await vi.waitFor(() => expect(chat.messages[0]?.state).toBe('sent'));
    const agent = await AgentSession.signIn(parley);
    const feed = await agent.openSocket();
    chat.typing('I');
    chat.typing('I need');
    chat.typing('I need help');
    expect((await feed.next('visitorTyping')).preview).toBe('I');
    expect((await feed.next('visitorTyping', () => true, 4000)).preview).toBe('I need help');
    expect(feed.frames.filter((f) => f.type === 'visitorTyping')).toHaveLength(2);
    feed.close();
  });
});

describe('messages typed before the page was closed', () => {
  it('are sent by the next page load, once', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    let saved: SavedOutbox = { messages: [] };
    const outbox = { load: () => saved, save: (o: SavedOutbox) => (saved = o) };
    const { port, dir } = parley;
    await parley.close(); // the visitor is offline from the start

    const firstPage = new ChatConnection({ socketUrl: visitorSocketUrl(parley), tokens, outbox, onChange: () => {}, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
    firstPage.send('written offline, then the tab closed');
    expect(saved.messages).toHaveLength(1);
    firstPage.stop();

    parley = await startTestParley({ port }, dir);
    connection = new ChatConnection({ socketUrl: visitorSocketUrl(parley), tokens, outbox, onChange: () => {}, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
    connection.start();
    await vi.waitFor(() => expect(storedBodies()).toEqual(['written offline, then the tab closed']));
    await vi.waitFor(() => expect(saved.messages).toEqual([]));
    expect(tokens.value).toBeDefined();
  });
});

describe('email capture', () => {
  const count = (table: string) => (parley.database.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

  it('tells a visitor who opened the panel whether agents are online, before they write and without creating them', async () => {
    parley = await startTestParley();
    const chat = connect(memoryTokens());
    chat.listen();
    await vi.waitFor(() => expect(chat.agentsOnline).toBe(false));
    expect(chat.askEmailAfterMs).toBe(60_000);

    const feed = await (await AgentSession.signIn(parley)).openSocket();
    await vi.waitFor(() => expect(chat.agentsOnline).toBe(true));
    feed.close();
    await vi.waitFor(() => expect(chat.agentsOnline).toBe(false));
    expect(count('visitors')).toBe(0);
  });

  it('knows which agents are available to show their faces, and hears when one steps away', async () => {
    parley = await startTestParley();
    const chat = connect(memoryTokens());
    chat.listen();
    await vi.waitFor(() => expect(chat.agentsOnline).toBe(false));
    expect(chat.team).toEqual([]);

    const agent = await AgentSession.signIn(parley);
    const feed = await agent.openSocket();
    await vi.waitFor(() => expect(chat.team).toEqual([{ name: 'Ada', avatarUrl: null }]));
    await agent.request('/api/session/availability', { method: 'PUT', body: { availability: 'away' } });
    await vi.waitFor(() => expect(chat.team).toEqual([]));
    expect(chat.agentsOnline).toBe(false);
    feed.close();
  });

  it('takes Settings → Widget from the welcome, and a save from the inbox while it is open', async () => {
    parley = await startTestParley();
    const chat = connect(memoryTokens());
    chat.listen();
    await vi.waitFor(() => expect(chat.settings).toMatchObject({ title: 'Chat with us', open: true }));

    const admin = await AgentSession.signIn(parley);
    const { settings } = (await (await admin.request('/api/settings/widget')).json()) as { settings: object };
    await admin.request('/api/settings/widget', { method: 'PUT', body: { ...settings, title: 'Talk to Acme', emailPromptDelaySeconds: 20 } });
    await vi.waitFor(() => expect(chat.settings).toMatchObject({ title: 'Talk to Acme' }));
    expect(chat.askEmailAfterMs).toBe(20_000);
  });

  it('takes an email before the first message, stores it with that message, and knows it after a reload', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    const chat = connect(tokens);
    chat.listen();
    await vi.waitFor(() => expect(chat.agentsOnline).toBe(false));
    chat.identify({ email: 'Ada@Example.com' });
    expect(chat.email).toBe('Ada@Example.com'); // nobody to store it for yet: the server holds it

    chat.send('Please write back');
    await vi.waitFor(() => expect(chat.email).toBe('ada@example.com')); // the server's `identified`
    // Stored as the visitor's own (unverified) address: a typed email makes no contact.
    expect(parley.database.sqlite.prepare('select unverified_email as email from visitors').all()).toEqual([{ email: 'ada@example.com' }]);
    expect(count('contacts')).toBe(0);
    chat.stop();

    const reloaded = connect(tokens);
    await vi.waitFor(() => expect(reloaded.agentsOnline).toBe(false));
    expect(reloaded.email).toBe('ada@example.com');
  });

  it('shows why the server refused an address, and stops sending it', async () => {
    parley = await startTestParley();
    const chat = connect(memoryTokens());
    chat.send('hi');
    await vi.waitFor(() => expect(chat.messages[0]?.state).toBe('sent'));
    chat.identify({ email: 'ada@example' });
    await vi.waitFor(() => expect(chat.emailError).toBe('Invalid email address'));
    expect(chat.email).toBeNull();
    expect(count('contacts')).toBe(0);
  });
});

describe('rate limits', () => {
  it('keeps messages the server refused for rate, and sends each once, in order, when allowed', async () => {
    // Two at once, then one every 100 ms: most of a quick flood is refused at first.
    parley = await startTestParley({ limits: { ...defaultVisitorLimits, messageBurst: 2, messagesPerMinute: 600 } });
    const states = new Set<string>();
    connection = new ChatConnection({
      socketUrl: visitorSocketUrl(parley),
      tokens: memoryTokens(),
      onChange: () => connection?.messages.forEach((m) => states.add(m.state)),
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    const typed = ['one', 'two', 'three', 'four', 'five', 'six'];
    for (const body of typed) connection.send(body);
    await vi.waitFor(() => expect(connection?.messages.every((m) => m.state === 'sent')).toBe(true), { timeout: 10_000 });
    expect(storedBodies()).toEqual(typed);
    expect(connection.messages.map((m) => m.body)).toEqual(typed);
    expect(states.has('failed')).toBe(false); // nobody had to press Retry
  });

  it('says quietly that sending is paused during a long wait, then sends the message', async () => {
    const clock = { now: Date.now() };
    parley = await startTestParley({
      limits: { ...defaultVisitorLimits, messageBurst: 1, messagesPerMinute: 6 }, // then one every 10 s
      now: () => clock.now,
    });
    const chat = connect(memoryTokens());
    chat.send('first');
    await vi.waitFor(() => expect(chat.messages[0]?.state).toBe('sent'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the widget's own wait, not the network
    try {
      chat.send('second');
      await vi.waitFor(() => expect(chat.pausedFor).toBe(10));
      expect(chat.messages[1]?.state).toBe('sending');

      clock.now += 10_000;
      vi.advanceTimersByTime(10_000);
      expect(chat.pausedFor).toBe(0);
      await vi.waitFor(() => expect(chat.messages[1]?.state).toBe('sent'));
    } finally {
      vi.useRealTimers();
    }
    expect(storedBodies()).toEqual(['first', 'second']);
  });
});

describe('a widget whose connection dropped before its token arrived', () => {
  it('gets the same visitor back after a reload, not a second one', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    let saved: SavedOutbox = { messages: [] };
    const outbox = { load: () => saved, save: (o: SavedOutbox) => (saved = o) };
    /** The network fails just as the server sends the visitor's token: the widget never reads it. */
    function CutBeforeToken(url: string) {
      const socket = new WebSocket(url);
      Object.defineProperty(socket, 'onmessage', {
        set(handler: (event: { data: unknown }) => void) {
          socket.addEventListener('message', (event) => (String(event.data).includes('"identity"') ? socket.terminate() : handler(event)));
        },
      });
      return socket;
    }
    const firstPage = new ChatConnection({ socketUrl: visitorSocketUrl(parley), tokens, outbox, onChange: () => {}, WebSocketImpl: CutBeforeToken as unknown as typeof globalThis.WebSocket });
    firstPage.send('is anyone there?');
    await vi.waitFor(() => expect(firstPage.status).toBe('offline'));
    firstPage.stop(); // the visitor reloads the page
    expect(tokens.value).toBeUndefined();

    connection = new ChatConnection({ socketUrl: visitorSocketUrl(parley), tokens, outbox, onChange: () => {}, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
    connection.start();
    await vi.waitFor(() => expect(saved.messages).toEqual([]));
    expect(tokens.value).toBeDefined();
    const count = (table: string) => (parley.database.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    expect([count('visitors'), count('messages')]).toEqual([1, 1]);
  });
});

describe('a widget that missed a message', () => {
  it('asks for it again on the next reconnect, even after a later message of its own was acknowledged', async () => {
    parley = await startTestParley();
    const tokens = memoryTokens();
    let socket: WebSocket | undefined;
    let dropReply = true;
    /** Loses the agent's reply once, as a process's bus can in a cluster, and lets the test cut the line. */
    function Lossy(url: string) {
      socket = new WebSocket(url);
      const current = socket;
      Object.defineProperty(current, 'onmessage', {
        set(handler: (event: { data: unknown }) => void) {
          current.addEventListener('message', (event) => {
            if (dropReply && String(event.data).includes('"It ships Monday."')) return void (dropReply = false);
            handler(event);
          });
        },
      });
      return current;
    }
    connection = new ChatConnection({ socketUrl: visitorSocketUrl(parley), tokens, onChange: () => {}, WebSocketImpl: Lossy as unknown as typeof globalThis.WebSocket });
    const chat = connection;
    chat.start();
    chat.send('When does it ship?');
    await vi.waitFor(() => expect(chat.messages[0]?.state).toBe('sent'));
    const agent = await AgentSession.signIn(parley);
    const conversationId = (await (await agent.request('/api/conversations')).json()).conversations[0].id;
    await agent.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body: 'It ships Monday.' } });
    await vi.waitFor(() => expect(dropReply).toBe(false));
    chat.send('Thanks!');
    await vi.waitFor(() => expect(chat.messages.map((m) => [m.body, m.state])).toEqual([['When does it ship?', 'sent'], ['Thanks!', 'sent']]));

    socket!.terminate(); // the line drops; the widget reconnects and catches up
    await vi.waitFor(() => expect(chat.messages.map((m) => m.body)).toEqual(['When does it ship?', 'It ships Monday.', 'Thanks!']), { timeout: 5000 });
  });
});

