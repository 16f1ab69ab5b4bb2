// The visitor socket against a real server, real SQLite file and real `ws` clients.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_FRAME_BYTES, MAX_MESSAGE_LENGTH } from '../../../shared/limits';
import type { ChatMessage, ConversationDetail } from '../../../shared/protocol';
import { defaultEmailConfig } from '../../config';
import {
  AgentSession,
  connectVisitor,
  returningVisitorToken,
  startTestParley,
  visitorSocketUrl,
  waitUntil,
  type TestParley,
} from '../../testing';

let parley: TestParley;
beforeEach(async () => {
  parley = await startTestParley();
});
afterEach(async () => {
  await parley.destroy();
});

const count = (table: string) =>
  (parley.database.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('visitor socket', () => {
  it('creates nothing for a visitor who connects but never writes', async () => {
    const { client, welcome } = await connectVisitor(parley);
    expect(welcome).toMatchObject({ known: false, history: [] });
    client.close();
    await client.closed;
    expect(count('visitors')).toBe(0);
    expect(count('conversations')).toBe(0);
  });

  it('carries a message from visitor to agent and the reply back, with the agent name', async () => {
    const agent = await AgentSession.signIn(parley);
    const inbox = await agent.openSocket();
    const { client: visitor } = await connectVisitor(parley);

    visitor.send({ type: 'send', clientId: 'first-message-1', body: 'Do you ship to Norway?' });
    const identity = await visitor.next('identity');
    expect(identity.token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    const ack = await visitor.next('ack');
    expect(ack.message).toMatchObject({ body: 'Do you ship to Norway?', author: 'visitor', channel: 'chat' });

    const seenByAgent = await inbox.next('message');
    expect(seenByAgent.message.id).toBe(ack.message.id);
    expect(seenByAgent.conversation).toMatchObject({ title: expect.stringMatching(/^Visitor #\d+$/), online: true });

    const res = await agent.request(`/api/conversations/${ack.message.conversationId}/messages`, {
      method: 'POST',
      body: { body: 'Yes, in 3 days.' },
    });
    expect(res.status).toBe(201);
    const reply = await visitor.next('message');
    expect(reply.message).toMatchObject({ body: 'Yes, in 3 days.', author: 'agent', authorName: 'Ada' });
  });

  it('gives a returning visitor their whole history, oldest first', async () => {
    const agent = await AgentSession.signIn(parley);
    const first = await connectVisitor(parley);
    first.client.send({ type: 'send', clientId: 'history-msg-1', body: 'one' });
    const { token } = await first.client.next('identity');
    const ack = await first.client.next('ack');
    await agent.request(`/api/conversations/${ack.message.conversationId}/messages`, { method: 'POST', body: { body: 'two' } });
    first.client.send({ type: 'send', clientId: 'history-msg-3', body: 'three' });
    await first.client.next('ack');
    first.client.close();

    const again = await connectVisitor(parley, { token });
    expect(again.welcome.known).toBe(true);
    expect(again.welcome.history.map((m) => m.body)).toEqual(['one', 'two', 'three']);
    expect(again.welcome.history[1]).toMatchObject({ author: 'agent', authorName: 'Ada' });
  });

  it('returns tricky text in the history exactly as it was typed', async () => {
    const tricky = 'Quotes " and \\ backslash\nnew line, tab\t, emoji 🎉, </script>, ünïcödé';
    const first = await connectVisitor(parley);
    first.client.send({ type: 'send', clientId: 'tricky-text-1', body: tricky });
    const { token } = await first.client.next('identity');
    await first.client.next('ack');
    const again = await connectVisitor(parley, { token });
    expect(again.welcome.history.map((m) => m.body)).toEqual([tricky]);
  });

  it('sends exactly the messages after `sinceSeq` when reconnecting, replies included, in order', async () => {
    const agent = await AgentSession.signIn(parley);
    const first = await connectVisitor(parley);
    first.client.send({ type: 'send', clientId: 'since-msg-1', body: 'one' });
    const { token } = await first.client.next('identity');
    const one = await first.client.next('ack');
    expect(one.message.seq).toBe(1);
    // Another visitor's messages take ids in between; this thread's seqs stay 1, 2, 3.
    await returningVisitorToken(parley, 'someone else');
    first.client.socket.terminate();
    await agent.request(`/api/conversations/${one.message.conversationId}/messages`, { method: 'POST', body: { body: 'two' } });
    const { client: other } = await connectVisitor(parley, { token });
    other.send({ type: 'send', clientId: 'since-msg-3', body: 'three' });
    await other.next('ack');

    const again = await connectVisitor(parley, { token, sinceSeq: one.message.seq });
    expect(again.welcome.history.map((m) => [m.seq, m.body])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
    const caughtUp = await connectVisitor(parley, { token, sinceSeq: 3 });
    expect(caughtUp.welcome.history).toEqual([]);
  });

  it('answers a widget panel from before seq in message ids: `since`, `seen` and the welcome', async () => {
    const agent = await AgentSession.signIn(parley);
    const first = await connectVisitor(parley);
    first.client.send({ type: 'send', clientId: 'old-panel-1', body: 'one' });
    const { token } = await first.client.next('identity');
    const one = await first.client.next('ack');
    await returningVisitorToken(parley, 'someone else');
    const conversationId = one.message.conversationId;
    const replied = await agent.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body: 'two' } });
    const { message: two } = (await replied.json()) as { message: ChatMessage };
    expect(two.seq).toBe(2);

    const old = await connectVisitor(parley, { token, since: one.message.id });
    expect(old.welcome.history.map((m) => m.body)).toEqual(['two']);
    expect(old.welcome).toMatchObject({ seenUpTo: 0, seenUpToSeq: 0 });
    old.client.send({ type: 'seen', messageId: two.id });
    const seenSeq = () => parley.database.sqlite.prepare('select visitor_seen_seq from conversations where id = ?').pluck().get(conversationId);
    await waitUntil(seenSeq, (seq) => seq === 2);

    const oldAgain = await connectVisitor(parley, { token, since: two.id });
    expect(oldAgain.welcome).toMatchObject({ history: [], seenUpTo: two.id, seenUpToSeq: 2 });
    const current = await connectVisitor(parley, { token, sinceSeq: 2 });
    expect(current.welcome.seenUpToSeq).toBe(2);
    expect(current.welcome).not.toHaveProperty('seenUpTo');
  });

  it("keeps the visitor's seen watermark across tabs and reconnects, so unread replies stay unread until seen", async () => {
    const agent = await AgentSession.signIn(parley);
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'watermark-1', body: 'hello' });
    const { token } = await client.next('identity');
    const { message } = await client.next('ack');
    const reply = (body: string) =>
      agent
        .request(`/api/conversations/${message.conversationId}/messages`, { method: 'POST', body: { body } })
        .then((r) => r.json() as Promise<{ message: ChatMessage }>);
    const { message: first } = await reply('first answer');
    await reply('second answer');
    client.send({ type: 'seen', seq: first.seq });
    // A seq beyond the thread is no promise about replies not written yet.
    client.send({ type: 'seen', seq: 99 });
    const seenSeq = () => parley.database.sqlite.prepare('select visitor_seen_seq from conversations where id = ?').pluck().get(message.conversationId);
    await waitUntil(seenSeq, (seq) => seq === 3);
    const { message: third } = await reply('third answer');

    const tab = await connectVisitor(parley, { token, sinceSeq: 0 });
    expect(tab.welcome.seenUpToSeq).toBe(3);
    const unread = tab.welcome.history.filter((m) => m.author === 'agent' && m.seq > tab.welcome.seenUpToSeq);
    expect(unread.map((m) => m.body)).toEqual([third.body]);
  });

  it('refuses a seen frame that carries neither a seq nor an id, or both', async () => {
    const token = await returningVisitorToken(parley);
    const { client } = await connectVisitor(parley, { token });
    client.send({ type: 'seen' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_frame' });
    client.send({ type: 'seen', seq: 1, messageId: 1 });
    expect(await client.next('error')).toMatchObject({ code: 'bad_frame' });
  });

  it('stores a message resent after a reconnect once, and acks it again', async () => {
    const first = await connectVisitor(parley);
    first.client.send({ type: 'send', clientId: 'resent-msg-1', body: 'only once please' });
    const { token } = await first.client.next('identity');
    const ack = await first.client.next('ack');
    // The connection drops before the widget saw the ack: it resends on the next connection.
    first.client.socket.terminate();

    const again = await connectVisitor(parley, { token });
    again.client.send({ type: 'send', clientId: 'resent-msg-1', body: 'only once please' });
    const secondAck = await again.client.next('ack');
    expect(secondAck.message.id).toBe(ack.message.id);
    expect(count('messages')).toBe(1);
  });

  const claim = 'widget-secret-only-it-knows-0123456789';

  it('gives a widget whose connection dropped before its token arrived the same visitor back, not a second one', async () => {
    const first = await connectVisitor(parley, { claim });
    first.client.send({ type: 'send', clientId: 'first-words-1', body: 'is anyone there?' });
    first.client.send({ type: 'send', clientId: 'first-words-2', body: 'hello?' });
    await first.client.next('ack');
    await first.client.next('ack');
    // Both are stored, but the connection drops before the widget read its identity frame: it has
    // no token, so it reconnects as a stranger with its claim secret and resends what it has not seen acknowledged.
    first.client.socket.terminate();

    const again = await connectVisitor(parley, { claim });
    again.client.send({ type: 'send', clientId: 'first-words-1', body: 'is anyone there?' });
    again.client.send({ type: 'send', clientId: 'first-words-2', body: 'hello?' });
    const { token } = await again.client.next('identity');
    await again.client.next('ack');
    await again.client.next('ack');
    expect([count('visitors'), count('conversations'), count('messages')]).toEqual([1, 1, 2]);

    const returning = await connectVisitor(parley, { token });
    expect(returning.welcome.history.map((m) => m.body)).toEqual(['is anyone there?', 'hello?']);
  });

  it('does not hand a visitor to someone who resends their first message without the widget’s secret', async () => {
    const visitor = await connectVisitor(parley, { claim });
    visitor.client.send({ type: 'send', clientId: 'first-words-1', body: 'my order number is 4711' });
    const { token } = await visitor.client.next('identity');
    const { message } = await visitor.client.next('ack');

    // An agent saw the clientId in the API; it is not enough, nor is a guessed secret.
    for (const stranger of [{}, { claim: 'a-guess-at-the-secret-0123456789' }]) {
      const { client } = await connectVisitor(parley, stranger);
      client.send({ type: 'send', clientId: 'first-words-1', body: 'my order number is 4711' });
      expect((await client.next('identity')).token).not.toBe(token);
      expect((await client.next('ack')).message.conversationId).not.toBe(message.conversationId);
    }
    expect(count('visitors')).toBe(3);
  });

  it('keeps messages in the order they were sent', async () => {
    const { client } = await connectVisitor(parley);
    for (let i = 1; i <= 20; i++) client.send({ type: 'send', clientId: `order-msg-${i}`, body: `#${i}` });
    const { token } = await client.next('identity');
    for (let i = 1; i <= 20; i++) await client.next('ack');
    const again = await connectVisitor(parley, { token });
    expect(again.welcome.history.map((m) => m.body)).toEqual(Array.from({ length: 20 }, (_, i) => `#${i + 1}`));
  });

  it('treats an unknown token as a new visitor, not an error', async () => {
    const { client, welcome } = await connectVisitor(parley, { token: 'not-a-token-we-issued' });
    expect(welcome).toMatchObject({ known: false, forget: true, history: [] });
    client.send({ type: 'send', clientId: 'fresh-start-1', body: 'hello again' });
    const identity = await client.next('identity');
    expect(identity.token).not.toBe('not-a-token-we-issued');
    await client.next('ack');
    expect(count('visitors')).toBe(1);
  });

  it('answers malformed JSON with an error frame and keeps the socket usable', async () => {
    const { client } = await connectVisitor(parley);
    client.send('{"type": "send", oops');
    expect(await client.next('error')).toMatchObject({ code: 'bad_json' });
    client.send({ type: 'send', clientId: 'after-bad-json', body: 'still here' });
    expect((await client.next('ack')).message.body).toBe('still here');
  });

  it('rejects an over-long message with an error naming it, and stores nothing', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'too-long-msg', body: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) });
    expect(await client.next('error')).toMatchObject({ code: 'bad_frame', clientId: 'too-long-msg' });
    expect(count('messages')).toBe(0);
  });

  it('closes a socket that sends a frame over 64 KiB with 1009, losing nothing already stored', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'kept-before-big', body: 'kept' });
    await client.next('ack');
    client.send(JSON.stringify({ type: 'send', clientId: 'huge-frame', body: 'x'.repeat(MAX_FRAME_BYTES) }));
    expect(await client.closed).toBe(1009);
    expect(count('messages')).toBe(1);
    const next = await connectVisitor(parley); // the server is still up
    next.client.close();
  });

  it('refuses to store messages before hello', async () => {
    const socket = new WebSocket(visitorSocketUrl(parley));
    const { FrameClient } = await import('../../testing');
    const client = new FrameClient(socket);
    await new Promise((resolve) => socket.once('open', resolve));
    client.send({ type: 'send', clientId: 'no-hello-first', body: 'hi' });
    expect(await client.next('error')).toMatchObject({ code: 'not_ready', clientId: 'no-hello-first' });
    expect(count('messages')).toBe(0);
  });

  it('shows a message from one tab in the visitor’s other tabs', async () => {
    const first = await connectVisitor(parley);
    first.client.send({ type: 'send', clientId: 'tab-one-msg-1', body: 'from tab one' });
    const { token } = await first.client.next('identity');
    await first.client.next('ack');
    const second = await connectVisitor(parley, { token });
    first.client.send({ type: 'send', clientId: 'tab-one-msg-2', body: 'again from tab one' });
    expect((await second.client.next('message')).message.body).toBe('again from tab one');
  });
});

describe('presence and origins', () => {
  it('tells agents when a returning visitor comes online and leaves', async () => {
    const agent = await AgentSession.signIn(parley);
    const token = await returningVisitorToken(parley);
    const inbox = await agent.openSocket();
    const back = await connectVisitor(parley, { token });
    expect(await inbox.next('presence')).toMatchObject({ online: true });
    back.client.close();
    expect(await inbox.next('presence')).toMatchObject({ online: false });
  });

  it('refuses visitor sockets from sites outside PARLEY_ALLOWED_ORIGINS', async () => {
    const strict = await startTestParley({ allowedOrigins: ['https://shop.example'] });
    try {
      const url = visitorSocketUrl(strict);
      const refused = new WebSocket(url, { headers: { origin: 'https://evil.example' } });
      const status = await new Promise<number>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(403);
      const allowed = new WebSocket(url, { headers: { origin: 'https://shop.example' } });
      await new Promise((resolve, reject) => {
        allowed.once('open', resolve);
        allowed.once('error', reject);
      });
      allowed.close();
    } finally {
      await strict.destroy();
    }
  });
});

describe('email capture', () => {
  /** A visitor who wrote once: their socket (still open), token and conversation id. */
  async function visitorWhoWrote(body = 'Is anyone there?') {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: `wrote-${Math.random().toString(36).slice(2, 12)}`, body });
    const { token } = await client.next('identity');
    const ack = await client.next('ack');
    return { client, token, conversationId: ack.message.conversationId };
  }

  const contacts = () => parley.database.sqlite.prepare('select email from contacts order by id').all();

  it('tells a new visitor in the welcome that no agent is online, and after how long to ask for an email', async () => {
    const { welcome } = await connectVisitor(parley);
    expect(welcome).toMatchObject({ agentsOnline: false, email: null, askEmailAfterMs: 60_000 });
  });

  it('says agents are online in the welcome while an agent has the inbox open', async () => {
    const inbox = await (await AgentSession.signIn(parley)).openSocket();
    const { welcome } = await connectVisitor(parley);
    expect(welcome.agentsOnline).toBe(true);
    inbox.close();
  });

  it('passes PARLEY_EMAIL_PROMPT_DELAY_MS on to the widget', async () => {
    const quick = await startTestParley({ email: { ...defaultEmailConfig, promptDelayMs: 1500 } });
    try {
      expect((await connectVisitor(quick)).welcome.askEmailAfterMs).toBe(1500);
    } finally {
      await quick.destroy();
    }
  });

  it('tells every visitor, even one who has not written, when the first agent arrives and the last one leaves', async () => {
    const quiet = await connectVisitor(parley);
    const { client: writer } = await visitorWhoWrote();
    const agent = await AgentSession.signIn(parley);

    const firstTab = await agent.openSocket();
    expect(await quiet.client.next('agentsOnline')).toEqual({ type: 'agentsOnline', online: true });
    expect(await writer.next('agentsOnline')).toEqual({ type: 'agentsOnline', online: true });

    // A second inbox tab, and closing one of two, change nothing for visitors.
    const secondTab = await agent.openSocket();
    firstTab.close();
    await firstTab.closed;
    secondTab.close();
    expect(await quiet.client.next('agentsOnline')).toEqual({ type: 'agentsOnline', online: false });
    expect(await writer.next('agentsOnline')).toEqual({ type: 'agentsOnline', online: false });
    expect(quiet.client.frames.filter((f) => f.type === 'agentsOnline')).toHaveLength(2);
  });

  it('confirms a saved email to all the visitor’s tabs and remembers it in the next welcome', async () => {
    const { client, token } = await visitorWhoWrote();
    const otherTab = await connectVisitor(parley, { token });
    expect(otherTab.welcome.email).toBeNull();

    client.send({ type: 'identify', email: '  Ada@Example.com ' });
    expect(await client.next('identified')).toEqual({ type: 'identified', email: 'ada@example.com' });
    expect(await otherTab.client.next('identified')).toEqual({ type: 'identified', email: 'ada@example.com' });

    client.close();
    const reloaded = await connectVisitor(parley, { token });
    expect(reloaded.welcome.email).toBe('ada@example.com');
  });

  it('keeps an email given before the first message, and confirms it once the message is stored', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'identify', email: 'grace@example.com' });
    client.send({ type: 'send', clientId: 'held-identify-1', body: 'Please mail me back' });
    await client.next('ack');
    expect(await client.next('identified')).toEqual({ type: 'identified', email: 'grace@example.com' });
    // Kept as the visitor's own address; typing it makes no contact (see identify.test.ts).
    expect(parley.database.sqlite.prepare('select unverified_email as email from visitors').all()).toEqual([{ email: 'grace@example.com' }]);
    expect(contacts()).toEqual([]);
  });

  it('shows each visitor who types the same address as unverified, joined to no one else’s conversations', async () => {
    const first = await visitorWhoWrote('First visit');
    first.client.send({ type: 'identify', email: 'Ada@Example.com' });
    await first.client.next('identified');
    const second = await visitorWhoWrote('Second visit');
    second.client.send({ type: 'identify', email: 'ada@example.com' });
    await second.client.next('identified');

    expect(contacts()).toEqual([]);
    const agent = await AgentSession.signIn(parley);
    const detail = (await (await agent.request(`/api/conversations/${second.conversationId}`)).json()) as ConversationDetail;
    expect(detail.contact).toMatchObject({ email: 'ada@example.com', emailVerified: false, conversationCount: 1, otherConversations: [] });
    expect(detail.conversation).toMatchObject({ email: 'ada@example.com', emailVerified: false });
  });

  it('tells agents once when a signed-in site repeats the same identify on every page', async () => {
    const agent = await AgentSession.signIn(parley);
    const inbox = await agent.openSocket();
    const { client } = await visitorWhoWrote();
    for (let page = 0; page < 3; page++) {
      client.send({ type: 'identify', email: 'ada@example.com', name: 'Ada' });
      await client.next('identified');
    }
    // A message afterwards: everything before it has reached the inbox.
    client.send({ type: 'send', clientId: 'after-identify-1', body: 'Still here' });
    await inbox.next('message', (f) => f.message.body === 'Still here');
    const identified = inbox.frames.filter((f) => f.type === 'conversation' && f.conversation.email === 'ada@example.com');
    expect(identified).toHaveLength(1);
  });

  it('refuses an invalid email with an error frame that names the email field, and stores nothing', async () => {
    const { client } = await visitorWhoWrote();
    client.send({ type: 'identify', email: 'not-an-address' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_frame', field: 'email', message: 'Invalid email address' });
    expect(client.frames.some((f) => f.type === 'identified')).toBe(false);
    expect(contacts()).toEqual([]);
  });
});
