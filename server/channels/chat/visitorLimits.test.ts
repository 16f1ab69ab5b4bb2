// The visitor limits against a real server, real SQLite and real `ws` clients, with tiny limits and
// a clock the tests move by hand.
import { afterEach, describe, expect, it } from 'vitest';
import type { VisitorServerFrame } from '../../../shared/protocol';
import { defaultVisitorLimits, type VisitorLimits } from '../../config';
import { AgentSession, connectVisitor, FrameClient, startTestParley, visitorSocketUrl, waitUntil, type TestParley } from '../../testing';

let parley: TestParley;
const clock = { now: 1_700_000_000_000 };
afterEach(async () => {
  await parley.destroy();
});

async function start(limits: Partial<VisitorLimits>, trustProxy = 0) {
  parley = await startTestParley({ limits: { ...defaultVisitorLimits, ...limits }, trustProxy, now: () => clock.now });
}

const bodies = () => (parley.database.sqlite.prepare('select body from messages order by id').all() as { body: string }[]).map((r) => r.body);
const count = (table: string) => (parley.database.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

/** A visitor socket from `address`, as a proxy trusted with PARLEY_TRUST_PROXY=1 reports it. */
async function visitorFrom(address: string) {
  const client = await FrameClient.open<VisitorServerFrame>(visitorSocketUrl(parley), { 'x-forwarded-for': address });
  client.send({ type: 'hello' });
  await client.next('welcome');
  return client;
}

/**
 * Sends these messages and waits for the answer to each: 'ack' or the wait it was refused with.
 * (Refusals go out at once, acks after the write: their order on the wire says nothing.)
 */
async function sendAll(client: FrameClient<VisitorServerFrame>, ids: number[]) {
  const from = client.frames.length;
  for (const i of ids) client.send({ type: 'send', clientId: `flood-msg-${i}`, body: `#${i}` });
  const answers = await waitUntil(
    () => client.frames.slice(from).filter((f) => f.type === 'ack' || f.type === 'error'),
    (frames) => frames.length === ids.length,
  );
  return ids.map((i) => {
    const answer = answers.find((f) => 'clientId' in f && f.clientId === `flood-msg-${i}`);
    return answer?.type === 'error' ? `${answer.code} ${answer.retryAfterMs}` : answer?.type;
  });
}

describe('messages per visitor', () => {
  it('stores a burst from a flood, refuses the rest with the wait, and stores each resend once when allowed', async () => {
    await start({ messageBurst: 3, messagesPerMinute: 6 }); // then one every 10 s
    const { client } = await connectVisitor(parley);
    const refused = 'rate_limited 10000';
    expect(await sendAll(client, [1, 2, 3, 4, 5, 6])).toEqual(['ack', 'ack', 'ack', refused, refused, refused]);
    expect(bodies()).toEqual(['#1', '#2', '#3']);

    // The widget waits as told, then resends in order: one more fits every 10 s.
    clock.now += 10_000;
    expect(await sendAll(client, [4, 5, 6])).toEqual(['ack', refused, refused]);
    clock.now += 20_000;
    expect(await sendAll(client, [5, 6])).toEqual(['ack', 'ack']);
    expect(bodies()).toEqual(['#1', '#2', '#3', '#4', '#5', '#6']);
  });

  it('counts all of a visitor’s tabs together', async () => {
    await start({ messageBurst: 2, messagesPerMinute: 6 });
    const first = await connectVisitor(parley);
    first.client.send({ type: 'send', clientId: 'tab-a-msg-1', body: 'one' });
    const { token } = await first.client.next('identity');
    await first.client.next('ack');
    const second = await connectVisitor(parley, { token });
    second.client.send({ type: 'send', clientId: 'tab-b-msg-1', body: 'two' });
    await second.client.next('ack');
    second.client.send({ type: 'send', clientId: 'tab-b-msg-2', body: 'three' });
    expect(await second.client.next('error')).toMatchObject({ code: 'rate_limited', clientId: 'tab-b-msg-2' });
  });
});

describe('new visitors per address', () => {
  it('refuses the first message of one visitor too many from an address, and accepts it after the wait or from another address', async () => {
    await start({ newVisitorsPerIpPerMinute: 2 }, 1);
    for (const n of [1, 2]) {
      const client = await visitorFrom('203.0.113.7');
      client.send({ type: 'send', clientId: `crowd-msg-${n}`, body: `visitor ${n}` });
      await client.next('ack');
    }
    // Page views create nothing, so they cost nothing: only the first message is counted.
    const third = await visitorFrom('203.0.113.7');
    third.send({ type: 'send', clientId: 'crowd-msg-3', body: 'visitor 3' });
    expect(await third.next('error')).toMatchObject({ code: 'rate_limited', clientId: 'crowd-msg-3', retryAfterMs: 30_000 });
    expect(third.frames.some((f) => f.type === 'identity')).toBe(false);
    expect(count('visitors')).toBe(2);

    const elsewhere = await visitorFrom('198.51.100.9');
    elsewhere.send({ type: 'send', clientId: 'elsewhere-msg-1', body: 'from another network' });
    await elsewhere.next('ack');

    clock.now += 30_000;
    third.send({ type: 'send', clientId: 'crowd-msg-3', body: 'visitor 3' });
    await third.next('identity');
    await third.next('ack');
    expect(count('visitors')).toBe(4);
    expect(bodies().filter((b) => b === 'visitor 3')).toHaveLength(1);
  });

  it('lets a widget reclaim the visitor it created without counting it again', async () => {
    await start({ newVisitorsPerIpPerMinute: 1 });
    const claim = 'widget-secret-only-it-knows-0123456789';
    const first = await connectVisitor(parley, { claim });
    first.client.send({ type: 'send', clientId: 'reclaim-msg-1', body: 'hello?' });
    const { token } = await first.client.next('identity');
    first.client.socket.terminate(); // before the widget read its token

    const again = await connectVisitor(parley, { claim });
    again.client.send({ type: 'send', clientId: 'reclaim-msg-1', body: 'hello?' });
    expect((await again.client.next('identity')).token).toBe(token);
    await again.client.next('ack');
  });
});

describe('identify per visitor', () => {
  it('refuses identify frames past the limit, and agents hear only the accepted ones', async () => {
    await start({ identifyPerHour: 2 });
    const agent = await AgentSession.signIn(parley);
    const feed = await agent.openSocket();
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'identify-msg-1', body: 'hi' });
    await client.next('ack');
    await feed.next('message');

    for (let i = 1; i <= 10; i++) client.send({ type: 'identify', email: `flood${i}@example.com` });
    for (let i = 1; i <= 2; i++) await client.next('identified');
    const refused = await client.next('error');
    expect(refused).toMatchObject({ code: 'rate_limited', retryAfterMs: 30 * 60_000 });
    expect(refused.clientId).toBeUndefined();
    expect(client.frames.filter((f) => f.type === 'error')).toHaveLength(8);

    // A later message is the barrier: every frame the flood caused reached the agent before it.
    client.send({ type: 'send', clientId: 'identify-msg-2', body: 'still here' });
    await feed.next('message');
    expect(feed.frames.filter((f) => f.type === 'conversation').length).toBeLessThanOrEqual(2);
  });
});

describe('agents', () => {
  it('are not held to the visitor limits', async () => {
    await start({ messageBurst: 1, messagesPerMinute: 1, socketsPerIp: 2, helloTimeoutMs: 100 });
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'agent-test-msg', body: 'hi' });
    const { message } = await client.next('ack');

    const agent = await AgentSession.signIn(parley);
    const feeds = await Promise.all([agent.openSocket(), agent.openSocket(), agent.openSocket()]);
    for (let i = 1; i <= 5; i++) {
      const res = await agent.request(`/api/conversations/${message.conversationId}/messages`, { method: 'POST', body: { body: `reply ${i}` } });
      expect(res.status).toBe(201);
    }
    // Agent sockets say no hello; a visitor socket that says none is closed, theirs are not.
    const silent = await FrameClient.open<VisitorServerFrame>(visitorSocketUrl(parley), {});
    expect(await silent.closed).toBe(4008);
    for (const feed of feeds) expect(feed.socket.readyState).toBe(feed.socket.OPEN);
  });
});
