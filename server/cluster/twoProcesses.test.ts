// Parley as a cluster: two real processes (`tsx server/main.ts`, each on its own port) sharing one
// private PostgreSQL and one private Redis, driven by real `ws` clients and the HTTP API as the widget
// and the inbox drive them. Each test gets a fresh database and a fresh pair of processes; Redis is
// emptied between tests. What is checked is what a visitor or an agent would notice: a message that
// does not arrive, arrives twice or out of order, an email sent twice, a green dot that lies.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ChatMessage, ConversationDetail, ConversationPage } from '../../shared/protocol';
import { userHashOf } from '../channels/chat/signedIdentity';
import { ADMIN, AgentSession, connectVisitor, FrameClient, typeSteadily, waitUntil } from '../testing';
import { ParleyProcess, ReconnectingVisitor, queryDatabase, startClusterServices, type ClusterServices } from '../testing/cluster';
import { FakeResend } from '../testing/fakeResend';

/** How long after its last inbox closes an available agent still counts as online (Hub's default). */
const AGENTS_GONE_GRACE_MS = 5_000;
/** What "across processes" may take: Redis's round trip, plus a presence lease for the harder cases. */
const CROSS_PROCESS_MS = 5_000;

let services: ClusterServices;
const processes: ParleyProcess[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  services = await startClusterServices();
}, 120_000);

afterAll(async () => {
  await services?.stop();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(processes.splice(0).map((p) => p.stop()));
  await services.flushRedis();
});

/** Two processes, A and B, started at once on a fresh database; what they print is shown if the test fails. */
async function twoProcesses(envA: Record<string, string> = {}, envB: Record<string, string> = envA) {
  const databaseUrl = await services.freshDatabase();
  const started = await Promise.allSettled([
    ParleyProcess.start('A', databaseUrl, services.redis.url, envA),
    ParleyProcess.start('B', databaseUrl, services.redis.url, envB),
  ]);
  for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  const [a, b] = processes.slice(-2) as [ParleyProcess, ParleyProcess];
  onTestFailed(() => {
    for (const p of [a, b]) console.error(`---- Parley ${p.name} printed ----\n${p.output.slice(-4000)}`);
  });
  return { a, b, databaseUrl };
}

/** Closed after the test, whatever happened. */
function track<T extends { close(): void } | { stop(): void }>(client: T): T {
  cleanups.push(() => ('close' in client ? client.close() : client.stop()));
  return client;
}

/**
 * The first frame of `type` matching `where` among those received since index `from`, waiting up to
 * `timeoutMs` for it. (Unlike FrameClient.next, it never skips frames: several tests wait in any order.)
 */
async function frame<F extends { type: string }, T extends F['type']>(
  client: FrameClient<F>,
  type: T,
  where: (frame: Extract<F, { type: T }>) => boolean = () => true,
  { timeoutMs = 5_000, from = 0 }: { timeoutMs?: number; from?: number } = {},
): Promise<Extract<F, { type: T }>> {
  const matches = (f: F) => f.type === type && where(f as Extract<F, { type: T }>);
  try {
    return (await waitUntil(() => client.frames.slice(from).find(matches), Boolean, timeoutMs)) as Extract<F, { type: T }>;
  } catch {
    const got = client.frames.slice(from).map((f) => JSON.stringify(f).slice(0, 160));
    throw new Error(`no matching '${type}' frame within ${timeoutMs} ms; received since then:\n${got.join('\n')}`);
  }
}

/** Each of the 20 visitors types a message this often (80 a second together). */
const TYPE_EVERY_MS = 250;

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function openInbox(session: AgentSession) {
  const inbox = track(await session.openSocket());
  await frame(inbox, 'team');
  return inbox;
}

async function reply(session: AgentSession, conversationId: number, body: string, extra: Record<string, unknown> = {}) {
  const res = await session.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body, ...extra } });
  if (res.status !== 201) throw new Error(`reply refused: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { message: ChatMessage }).message;
}

async function detail(session: AgentSession, conversationId: number): Promise<ConversationDetail> {
  const res = await session.request(`/api/conversations/${conversationId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ConversationDetail;
}

/** A widget (its connection logic) behind a load balancer sending it to the first live process of `targets`. */
function widget(targets: () => ParleyProcess[]): ReconnectingVisitor {
  return track(new ReconnectingVisitor(targets));
}

describe('two Parley processes on one PostgreSQL and one Redis', () => {
  it('started at once on an empty database, migrate it once and create exactly one first admin', async () => {
    const { a, b, databaseUrl } = await twoProcesses();
    const migrationFiles = readdirSync(resolve(import.meta.dirname, '..', 'db', 'pg', 'migrations')).filter((f) => f.endsWith('.sql'));
    const applied = await queryDatabase<{ hash: string }>(databaseUrl, 'select hash from drizzle.__drizzle_migrations');
    expect(applied).toHaveLength(migrationFiles.length);
    expect(new Set(applied.map((m) => m.hash)).size).toBe(migrationFiles.length);
    const admins = await queryDatabase<{ email: string; role: string }>(databaseUrl, 'select email, role from agents');
    expect(admins).toEqual([{ email: ADMIN.email, role: 'admin' }]);
    // The one admin signs in on either process.
    await AgentSession.signIn(a.parley);
    await AgentSession.signIn(b.parley);
  }, 30_000);

  it('carries a conversation between a visitor on A and an agent on B: message, ack, reply, typing both ways, read and complete', async () => {
    const { a, b } = await twoProcesses();
    const adaOnB = await AgentSession.signIn(b.parley);
    const inboxB = await openInbox(adaOnB);
    const inboxA = await openInbox(await AgentSession.signIn(a.parley));
    const { client: visitor } = await connectVisitor(a.parley);
    track(visitor);

    visitor.send({ type: 'send', clientId: 'visitor-message-1', body: 'Hello from process A' });
    const ack = await frame(visitor, 'ack', (f) => f.clientId === 'visitor-message-1');
    const seen = await frame(inboxB, 'message', (f) => f.message.clientId === 'visitor-message-1');
    expect(seen.message).toMatchObject({ id: ack.message.id, seq: 1, body: 'Hello from process A', author: 'visitor' });
    const conversationId = seen.message.conversationId;

    await reply(adaOnB, conversationId, 'Hi, this is Ada on process B', { clientId: 'agent-reply-0001' });
    const answer = await frame(visitor, 'message', (f) => f.message.clientId === 'agent-reply-0001');
    expect(answer.message).toMatchObject({ seq: 2, author: 'agent', authorName: ADMIN.name, body: 'Hi, this is Ada on process B' });

    // The visitor's draft reaches the agent on B; the agent's "typing…" reaches the widget on A.
    visitor.send({ type: 'typing', preview: 'Could you also' });
    await frame(inboxB, 'visitorTyping', (f) => f.conversationId === conversationId && f.preview === 'Could you also');
    inboxB.send({ type: 'typing', conversationId });
    expect((await frame(visitor, 'typing', (f) => f.agentName !== null)).agentName).toBe(ADMIN.name);

    // A new visitor message is unread for the agent on A; read and complete on B reach A's inbox.
    visitor.send({ type: 'send', clientId: 'visitor-message-2', body: 'Could you also check my order?' });
    const unread = await frame(inboxA, 'message', (f) => f.message.clientId === 'visitor-message-2');
    expect(unread.conversation.unreadCount).toBeGreaterThan(0);
    let from = inboxA.frames.length;
    expect((await adaOnB.request(`/api/conversations/${conversationId}/read`, { method: 'POST' })).status).toBe(200);
    await frame(inboxA, 'conversation', (f) => f.conversation.id === conversationId && f.conversation.unreadCount === 0, { from });
    from = inboxA.frames.length;
    expect((await adaOnB.request(`/api/conversations/${conversationId}/complete`, { method: 'POST' })).status).toBe(200);
    await frame(inboxA, 'conversation', (f) => f.conversation.id === conversationId && f.conversation.status === 'complete', { from });
  }, 30_000);

  it('shows presence, agents online and who is viewing across processes within 5 s, and deactivating an agent on A closes their inbox on B', async () => {
    const { a, b } = await twoProcesses();
    const adaOnA = await AgentSession.signIn(a.parley);
    const adaOnB = await AgentSession.signIn(b.parley);

    // A visitor on A with no agent anywhere: nobody online.
    const { client: firstTab, welcome } = await connectVisitor(a.parley);
    track(firstTab);
    expect(welcome.agentsOnline).toBe(false);
    firstTab.send({ type: 'send', clientId: 'presence-message-1', body: 'Anyone there?' });
    const { token } = await frame(firstTab, 'identity');
    await frame(firstTab, 'ack');

    // Ada opens her inbox on B: the widget on A hears an agent is online.
    const inboxB = await openInbox(adaOnB);
    await frame(firstTab, 'agentsOnline', (f) => f.online, { timeoutMs: CROSS_PROCESS_MS });
    const page = (await (await adaOnB.request('/api/conversations')).json()) as ConversationPage;
    const conversationId = page.conversations[0]!.id;
    expect(page.conversations[0]!.online).toBe(true);

    // The visitor leaves A and comes back to A: Ada on B sees the dot go off and on.
    let from = inboxB.frames.length;
    firstTab.close();
    await frame(inboxB, 'presence', (f) => f.conversationId === conversationId && !f.online, { timeoutMs: CROSS_PROCESS_MS, from });
    from = inboxB.frames.length;
    const { client: visitor } = await connectVisitor(a.parley, { token });
    track(visitor);
    await frame(inboxB, 'presence', (f) => f.conversationId === conversationId && f.online, { timeoutMs: CROSS_PROCESS_MS, from });

    // Ada's Status on B flips the widget on A; so does closing her inbox (after the grace period).
    from = visitor.frames.length;
    expect((await adaOnB.request('/api/session/availability', { method: 'PUT', body: { availability: 'away' } })).status).toBe(200);
    await frame(visitor, 'agentsOnline', (f) => !f.online, { timeoutMs: CROSS_PROCESS_MS, from });
    from = visitor.frames.length;
    expect((await adaOnB.request('/api/session/availability', { method: 'PUT', body: { availability: 'available' } })).status).toBe(200);
    await frame(visitor, 'agentsOnline', (f) => f.online, { timeoutMs: CROSS_PROCESS_MS, from });
    from = visitor.frames.length;
    inboxB.close();
    await frame(visitor, 'agentsOnline', (f) => !f.online, { timeoutMs: AGENTS_GONE_GRACE_MS + CROSS_PROCESS_MS, from });

    // Grace joins; Ada views the conversation on A, Grace on B: each sees the other (the collision notice).
    const created = await adaOnA.request('/api/agents', {
      method: 'POST',
      body: { email: 'grace@example.com', name: 'Grace', password: 'grace hopper compiles', role: 'agent' },
    });
    expect(created.status).toBe(201);
    const graceId = ((await created.json()) as { agent: { id: number } }).agent.id;
    const graceOnB = await AgentSession.signIn(b.parley, { email: 'grace@example.com', password: 'grace hopper compiles', name: 'Grace' });
    const adaInboxA = await openInbox(adaOnA);
    const graceInboxB = await openInbox(graceOnB);
    const names = (f: { viewers: { name: string }[] }) => f.viewers.map((v) => v.name).sort().join(',');
    adaInboxA.send({ type: 'viewing', conversationId });
    graceInboxB.send({ type: 'viewing', conversationId });
    await frame(adaInboxA, 'viewers', (f) => f.conversationId === conversationId && names(f) === 'Ada,Grace', { timeoutMs: CROSS_PROCESS_MS });
    await frame(graceInboxB, 'viewers', (f) => f.conversationId === conversationId && names(f) === 'Ada,Grace', { timeoutMs: CROSS_PROCESS_MS });
    graceInboxB.send({ type: 'typing', conversationId });
    await frame(adaInboxA, 'viewers', (f) => f.viewers.some((v) => v.name === 'Grace' && v.typing), { timeoutMs: CROSS_PROCESS_MS });

    // An admin on A deactivates Grace: her inbox on B is signed out and closed, and Ada stops seeing her.
    from = adaInboxA.frames.length;
    expect((await adaOnA.request(`/api/agents/${graceId}/deactivate`, { method: 'POST' })).status).toBe(200);
    const closed = await Promise.race([graceInboxB.closed, pause(CROSS_PROCESS_MS).then(() => 'still open')]);
    expect(closed).toBe(4001);
    expect(graceInboxB.frames.some((f) => f.type === 'signedOut')).toBe(true);
    await frame(adaInboxA, 'viewers', (f) => f.conversationId === conversationId && names(f) === 'Ada', { timeoutMs: CROSS_PROCESS_MS, from });
  }, 60_000);

  it('sends each of 50 email replies exactly once while both outbox workers run and A is SIGKILLed mid-send', async () => {
    const fake = await FakeResend.start();
    cleanups.push(() => void fake.close());
    const secret = 'cluster-test-identity-secret-0123456789';
    const common = { RESEND_BASE_URL: fake.url, PARLEY_EMAIL_LEASE_MS: '4000', PARLEY_IDENTITY_SECRET: secret };
    const { a, b, databaseUrl } = await twoProcesses({ ...common, RESEND_API_KEY: 're_process_a' }, { ...common, RESEND_API_KEY: 're_process_b' });

    const { client: visitor } = await connectVisitor(a.parley);
    track(visitor);
    visitor.send({ type: 'send', clientId: 'email-visitor-1', body: 'Please answer me by email' });
    const conversationId = (await frame(visitor, 'ack')).message.conversationId;
    const email = 'pat@example.com';
    visitor.send({ type: 'identify', email, userHash: userHashOf(secret, email) });
    await frame(visitor, 'identified', (f) => f.email === email);

    // 50 replies by email, half through A and half through B: both workers get work at once.
    const adaOnA = await AgentSession.signIn(a.parley);
    const adaOnB = await AgentSession.signIn(b.parley);
    const replies: ChatMessage[] = [];
    fake.delayMs = 400; // most are still queued when all are stored (well within the send timeout, half the lease)
    await Promise.all(
      [adaOnA, adaOnB].map(async (session, lane) => {
        for (let i = lane; i < 50; i += 2) replies.push(await reply(session, conversationId, `Email reply ${i}`, { channel: 'email' }));
      }),
    );
    expect(replies).toHaveLength(50);
    fake.delayMs = 60;

    // A provider that takes a moment: kill A while it has an email in flight there.
    await waitUntil(() => fake.inFlight.some((f) => f.apiKey === 're_process_a'), Boolean, 10_000);
    const attemptsBeforeKill = fake.attempts.length;
    const sentBeforeKill = fake.sent.length;
    await a.kill(); // the signal goes before anything else runs here
    expect(sentBeforeKill).toBeLessThan(50);

    // B sends the rest, and A's unfinished one once A's lease has run out.
    await fake.waitForSent(50, 20_000);
    const rows = await waitUntil(
      () => queryDatabase<{ id: string; message_id: string; message_id_header: string; status: string; attempts: string }>(
        databaseUrl,
        'select id, message_id, message_id_header, status, attempts from email_outbox order by id',
      ),
      (r) => r.length === 50 && r.every((row) => row.status === 'sent'),
      20_000,
    );

    // One outbox row per reply, and the provider accepted each row's email once: 50 emails delivered.
    expect(new Set(rows.map((r) => Number(r.message_id)))).toEqual(new Set(replies.map((m) => m.id)));
    const keyOf = (row: (typeof rows)[number]) => `parley-email-${row.id}-${row.message_id_header}`;
    expect(fake.sent).toHaveLength(50);
    expect(new Set(fake.sent.map((s) => s.idempotencyKey))).toEqual(new Set(rows.map(keyOf)));

    // Both workers sent while both ran; after the kill only B does, apart from A's one send that was
    // already at the provider (answered to nobody).
    const beforeKill = fake.attempts.slice(0, attemptsBeforeKill);
    expect(beforeKill.some((x) => x.apiKey === 're_process_a') && beforeKill.some((x) => x.apiKey === 're_process_b')).toBe(true);
    const afterKill = fake.attempts.slice(attemptsBeforeKill);
    const cutOff = afterKill.filter((x) => x.apiKey === 're_process_a').map((x) => x.idempotencyKey);
    expect(cutOff).toHaveLength(1);
    expect(afterKill.filter((x) => x.apiKey !== 're_process_b')).toHaveLength(1);
    // No row was sent by two workers at once: each send a worker finished is one of the row's recorded
    // attempts (a timed-out send retried counts twice there too); only the row A was cut off in was
    // sent once more than it records, by B, with the same idempotency key.
    for (const row of rows) {
      const sends = fake.attempts.filter((x) => x.idempotencyKey === keyOf(row) && x.status === 200);
      const cut = cutOff.includes(keyOf(row));
      expect({ row: row.id, sends: sends.length }).toEqual({ row: row.id, sends: Number(row.attempts) + (cut ? 1 : 0) });
      if (cut) expect(sends.at(-1)!.apiKey).toBe('re_process_b');
    }

    // The agent (on B) sees every reply as sent.
    const thread = await detail(adaOnB, conversationId);
    const emailed = thread.messages.filter((m) => m.channel === 'email');
    expect(emailed).toHaveLength(50);
    expect(emailed.every((m) => m.deliveryState === 'sent')).toBe(true);
  }, 60_000);

  it('SIGKILL of A with 20 visitors sending: they reconnect to B, and every acknowledged message is stored once, in order, and seen by agents', async () => {
    const { a, b, databaseUrl } = await twoProcesses();
    const adaOnB = await AgentSession.signIn(b.parley);
    const inboxB = await openInbox(adaOnB);

    const visitors = Array.from({ length: 20 }, (_, v) => {
      const typed: string[] = [];
      const chat = widget(() => [a, b]);
      const type = () => {
        const body = `visitor ${v} message ${typed.length}`;
        typed.push(body);
        chat.send(body);
      };
      return { chat, typed, type };
    });
    const acknowledged = () => visitors.reduce((n, v) => n + v.chat.acknowledged.size, 0);
    for (const visitor of visitors) visitor.type();
    await waitUntil(() => visitors.every((v) => v.chat.token !== undefined), Boolean, 10_000);

    const typing = typeSteadily(visitors, TYPE_EVERY_MS);
    await pause(1_500);
    const ackedBeforeKill = acknowledged();
    await a.kill();
    await pause(1_500);
    await typing.stop();

    // Every widget is back (on B) and has everything it typed acknowledged: the typing after the
    // first messages was acknowledged on A, then on B.
    await waitUntil(() => visitors.filter((v) => v.chat.unacknowledged > 0 || !v.chat.online).length, (n) => n === 0, 20_000);
    expect(visitors.every((v) => v.chat.connections >= 2)).toBe(true);
    expect(ackedBeforeKill).toBeGreaterThan(20);
    expect(visitors.flatMap((v) => v.chat.conflicts)).toEqual([]);

    const rows = await queryDatabase<{ visitor_id: string; conversation_id: string; body: string; seq: string }>(
      databaseUrl,
      `select c.visitor_id, m.conversation_id, m.body, m.seq from messages m join conversations c on c.id = m.conversation_id
       where m.author = 'visitor' order by m.conversation_id, m.seq`,
    );
    const stored = new Map<string, string[]>();
    for (const row of rows) stored.set(row.visitor_id, [...(stored.get(row.visitor_id) ?? []), row.body]);
    // One thread per visitor, holding what they typed: each message once, in typing order.
    expect([...stored.values()].sort((x, y) => x[0]!.localeCompare(y[0]!, 'en', { numeric: true }))).toEqual(
      visitors.map((v) => v.typed).sort((x, y) => x[0]!.localeCompare(y[0]!, 'en', { numeric: true })),
    );
    expect(rows.length).toBe(acknowledged());

    // The agent on B saw every one of them live, and finds them all, in order, on opening each thread.
    const bodies = rows.map((r) => r.body);
    await waitUntil(
      () => bodies.filter((body) => !inboxB.frames.some((f) => f.type === 'message' && f.message.body === body)),
      (missing) => missing.length === 0,
      5_000,
    );
    const conversationIds = [...new Set(rows.map((r) => Number(r.conversation_id)))];
    expect(conversationIds).toHaveLength(20);
    for (const id of conversationIds) {
      const thread = await detail(adaOnB, id);
      expect(thread.messages.map((m) => m.body)).toEqual(rows.filter((r) => Number(r.conversation_id) === id).map((r) => r.body));
      expect(thread.messages.map((m) => m.seq)).toEqual(thread.messages.map((_, i) => i + 1));
    }
  }, 60_000);

  it('a Redis restart loses nothing: messages and replies sent around it all reach the agent and the visitor once everyone reconnected', async () => {
    const { a, b } = await twoProcesses();
    const adaOnB = await AgentSession.signIn(b.parley);
    const chat = widget(() => [a]); // the visitor stays on A
    chat.send('before the restart');
    await waitUntil(() => chat.unacknowledged, (n) => n === 0, 5_000);
    const page = (await (await adaOnB.request('/api/conversations')).json()) as ConversationPage;
    const conversationId = page.conversations[0]!.id;

    // An inbox tab on B as the inbox runs: live frames, and after every reconnect a reload of the thread.
    const agentSees = new Map<number, string>();
    let inboxStopped = false;
    let inboxOpens = 0;
    const keepInboxOpen = async (): Promise<void> => {
      const inbox = await adaOnB.openSocket();
      inboxOpens++;
      inbox.socket.on('message', (data) => {
        const f = JSON.parse(data.toString()) as { type: string; message?: ChatMessage };
        if (f.type === 'message' && f.message?.conversationId === conversationId) agentSees.set(f.message.seq, f.message.body);
      });
      void inbox.closed.then(async () => {
        if (inboxStopped) return;
        await pause(200);
        await keepInboxOpen().catch(() => setTimeout(() => void keepInboxOpen(), 500));
      });
      cleanups.push(() => inbox.close());
      for (const m of (await detail(adaOnB, conversationId)).messages) agentSees.set(m.seq, m.body);
    };
    cleanups.push(() => (inboxStopped = true));
    await keepInboxOpen();

    // Messages and replies every 30 ms from before Redis goes down until after it is back.
    const sentByVisitor: string[] = [];
    const sentByAgent: string[] = [];
    let talking = true;
    const talk = (async () => {
      for (let i = 0; talking; i++) {
        const body = `visitor during ${i}`;
        sentByVisitor.push(body);
        chat.send(body);
        if (i % 2 === 0) {
          const answer = `agent during ${i}`;
          sentByAgent.push(answer);
          await reply(adaOnB, conversationId, answer);
        }
        await pause(30);
      }
    })();
    await pause(300);
    await services.redis.restart();
    await pause(500);
    talking = false;
    await talk;
    chat.send('after the restart');
    sentByVisitor.push('after the restart');
    await reply(adaOnB, conversationId, 'agent after the restart');
    sentByAgent.push('agent after the restart');

    const everything = ['before the restart', ...sentByVisitor, ...sentByAgent].sort();
    // The agent's inbox ends with every message, each at its own seq.
    await waitUntil(() => [...agentSees.values()].sort(), (seen) => JSON.stringify(seen) === JSON.stringify(everything), 15_000).catch(() => {
      throw new Error(`the agent misses ${everything.filter((m) => ![...agentSees.values()].includes(m)).join(', ')}`);
    });
    // The visitor's widget ends with every message, its own acknowledged, each at its own seq.
    await waitUntil(
      () => chat.messages.map((m) => m.body).sort(),
      (seen) => JSON.stringify(seen) === JSON.stringify(everything) && chat.unacknowledged === 0,
      15_000,
    ).catch(() => {
      throw new Error(`the visitor misses ${everything.filter((m) => !chat.messages.some((x) => x.body === m)).join(', ')}`);
    });
    expect(chat.messages.map((m) => m.seq)).toEqual(everything.map((_, i) => i + 1));
    expect(chat.conflicts).toEqual([]);
    // The bus may have lost news: both processes sent their clients away to catch up.
    expect(inboxOpens).toBeGreaterThan(1);
    expect(chat.connections).toBeGreaterThan(1);
    // After it all, the widget on A still knows Ada (on B) is online.
    await waitUntil(() => chat.agentsOnline, (online) => online === true, CROSS_PROCESS_MS);
  }, 60_000);

  it('concurrent writes to one conversation from A and B (two tabs and two agents) leave a reload and a sinceSeq catch-up that miss nothing, in seq order', async () => {
    const { a, b } = await twoProcesses();
    const { client: tabA } = await connectVisitor(a.parley);
    track(tabA);
    tabA.send({ type: 'send', clientId: 'tab-a-first-message', body: 'first' });
    const { token } = await frame(tabA, 'identity');
    const conversationId = (await frame(tabA, 'ack')).message.conversationId;
    const { client: tabB } = await connectVisitor(b.parley, { token });
    track(tabB);
    const adaOnA = await AgentSession.signIn(a.parley);
    const adaOnB = await AgentSession.signIn(b.parley);

    const expected = ['first'];
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      for (const [name, tab] of [['A', tabA], ['B', tabB]] as const) {
        const body = `tab ${name} message ${i}`;
        expected.push(body);
        tab.send({ type: 'send', clientId: `tab-${name}-message-${String(i).padStart(3, '0')}`, body });
      }
      if (i % 3 === 0) {
        for (const [name, session] of [['A', adaOnA], ['B', adaOnB]] as const) {
          const body = `agent on ${name} reply ${i}`;
          expected.push(body);
          sends.push(reply(session, conversationId, body));
        }
      }
    }
    await Promise.all(sends);
    for (const tab of [tabA, tabB]) await waitUntil(() => tab.frames.filter((f) => f.type === 'ack').length, (n) => n >= 30, 10_000);
    const total = expected.length;

    // Each open tab ends up showing every message (what was there when it opened, its own as acks, the rest as they come).
    for (const tab of [tabA, tabB]) {
      await waitUntil(
        () => new Set(tab.frames.flatMap((f) => (f.type === 'ack' || f.type === 'message' ? [f.message.seq] : f.type === 'welcome' ? f.history.map((m) => m.seq) : []))).size,
        (n) => n === total,
        10_000,
      );
    }

    // A reload (on either process) shows the whole thread once, in seq order without gaps.
    for (const parley of [a, b]) {
      const { client, welcome } = await connectVisitor(parley.parley, { token });
      client.close();
      expect(welcome.history.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(welcome.history.map((m) => m.body).sort()).toEqual([...expected].sort());
    }
    // Catching up from a seq in the middle gives exactly what came after it, in order.
    const { client: reloaded, welcome: full } = await connectVisitor(a.parley, { token });
    reloaded.close();
    for (const [parley, sinceSeq] of [[a, 17], [b, 40], [b, total]] as const) {
      const { client, welcome } = await connectVisitor(parley.parley, { token, sinceSeq });
      client.close();
      expect(welcome.history).toEqual(full.history.filter((m) => m.seq > sinceSeq));
    }
    // The agents' view is the same thread.
    const thread = await detail(adaOnB, conversationId);
    expect(thread.messages.map((m) => [m.seq, m.body])).toEqual(full.history.map((m) => [m.seq, m.body]));
  }, 60_000);
});

