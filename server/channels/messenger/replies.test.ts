// Agents answering Messenger conversations, over the real reply route, with a fake Graph API and a
// clock the test sets: what Messenger allows when, and how every refusal reaches the agent.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationDetail, ConversationPage } from '../../../shared/protocol';
import { FakeGraph, GRAPH_ERRORS } from '../../testing/fakeGraph';
import { personWrites, postWebhook, testMessengerConfig, webhookPayload } from '../../testing/messengerEvents';
import { AgentSession, connectVisitor, startTestParley, type AgentClient, type TestParley } from '../../testing';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let graph: FakeGraph;
let parley: TestParley;
let ada: AgentSession;
let feed: AgentClient;
let clock: number;

beforeEach(async () => {
  graph = await FakeGraph.start();
  clock = Date.now();
  parley = await startTestParley({ messenger: testMessengerConfig(graph.url), now: () => clock });
  ada = await AgentSession.signIn(parley);
  feed = await ada.openSocket();
});
afterEach(async () => {
  await parley.destroy();
  await graph.close();
});

/** Mia writes on Messenger now (by the test's clock); resolves with her conversation's id. */
async function miaWrites(text = 'Hi, where is my order?', psid = '9001'): Promise<number> {
  const res = await postWebhook(parley.url, webhookPayload([personWrites(psid, `m_${Math.random().toString(36).slice(2)}`, text, clock)]));
  expect(res.status).toBe(200);
  return (await feed.next('message', (f) => f.message.body === text)).message.conversationId;
}

const reply = (conversationId: number, body: Record<string, unknown>) =>
  ada.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body });

async function replied(conversationId: number, body: Record<string, unknown>): Promise<ChatMessage> {
  const res = await reply(conversationId, body);
  expect(res.status).toBe(201);
  return ((await res.json()) as { message: ChatMessage }).message;
}

/** The delivery outcome of a reply, as the agents' socket reports it. */
const outcome = (message: ChatMessage) =>
  feed.next('messageUpdated', (f) => f.message.id === message.id && f.message.deliveryState !== 'queued', 8000).then((f) => f.message);

const thread = async (conversationId: number) =>
  ((await (await ada.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail).messages;

describe('replying', () => {
  it('sends the reply through the Send API as a RESPONSE to the person, and marks it sent', async () => {
    const conversationId = await miaWrites();
    const message = await replied(conversationId, { body: 'It left the warehouse today.', channel: 'messenger' });
    expect(message).toMatchObject({ channel: 'messenger', deliveryState: 'queued', author: 'agent', authorName: 'Ada' });

    const send = await graph.nextSend();
    expect(send).toMatchObject({
      version: 'v25.0',
      accessToken: 'test-page-token',
      body: { recipient: { id: '9001' }, messaging_type: 'RESPONSE', message: { text: 'It left the warehouse today.' } },
    });
    expect(send.body.tag).toBeUndefined();
    expect(await outcome(message)).toMatchObject({ deliveryState: 'sent', deliveryError: null });
  });

  it('picks Messenger by itself for a Messenger conversation, and offers it for nothing else', async () => {
    const conversationId = await miaWrites();
    expect((await replied(conversationId, { body: 'Default channel' })).channel).toBe('messenger');
    expect((await reply(conversationId, { body: 'By chat?', channel: 'chat' })).status).toBe(409);

    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'web-visitor-1', body: 'Hello from the website' });
    const web = (await client.next('ack')).message.conversationId;
    expect((await reply(web, { body: 'Via Messenger?', channel: 'messenger' })).status).toBe(409);
  });

  it('fills personalization tags with the name from the Messenger profile', async () => {
    graph.profiles.set('9002', { first_name: 'Mia', last_name: 'Wong' });
    const conversationId = await miaWrites('Hello', '9002');
    await feed.next('conversation', (f) => f.conversation.title === 'Mia Wong');
    await replied(conversationId, { body: 'Hi {{contact.first_name | there}}, {{agent.name}} here.' });
    expect((await graph.nextSend()).body.message.text).toBe('Hi Mia, Ada here.');
  });

  it('splits a reply longer than Messenger takes into several sends', async () => {
    const conversationId = await miaWrites();
    const long = Array.from({ length: 500 }, (_, i) => `line${i}`).join(' ');
    const message = await replied(conversationId, { body: long });
    expect(await outcome(message)).toMatchObject({ deliveryState: 'sent' });
    expect(graph.sends.map((s) => s.body.message.text).join(' ')).toBe(long);
    expect(graph.sends.length).toBe(2);
  });
});

describe("Messenger's 24-hour and 7-day rules", () => {
  it('refuses a normal reply 25 hours after the last message, and sends one with the HUMAN_AGENT tag', async () => {
    const conversationId = await miaWrites();
    clock += 25 * HOUR;
    const refused = await reply(conversationId, { body: 'Sorry for the wait!' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/24-hour window has closed.*HUMAN_AGENT tag/);
    expect((await thread(conversationId)).map((m) => m.body)).toEqual(['Hi, where is my order?']);
    expect(graph.sends).toEqual([]);

    const tagged = await replied(conversationId, { body: 'Sorry for the wait!', messengerTag: 'HUMAN_AGENT' });
    expect((await graph.nextSend()).body).toMatchObject({
      recipient: { id: '9001' },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Sorry for the wait!' },
    });
    expect(await outcome(tagged)).toMatchObject({ deliveryState: 'sent' });
  });

  it('refuses every reply 8 days after the last message, until the person writes again', async () => {
    const conversationId = await miaWrites();
    clock += 8 * DAY;
    for (const body of [{ body: 'Hello?' }, { body: 'Hello?', messengerTag: 'HUMAN_AGENT' }]) {
      const res = await reply(conversationId, body);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: string }).error).toMatch(/more than 7 days ago/);
    }
    expect(graph.sends).toEqual([]);

    await miaWrites('I am back');
    const message = await replied(conversationId, { body: 'Welcome back' });
    expect(await outcome(message)).toMatchObject({ deliveryState: 'sent' });
    expect((await graph.nextSend()).body.messaging_type).toBe('RESPONSE');
  });
});

describe('when Messenger refuses', () => {
  it("shows Meta's window refusal (code 10, subcode 2018278) on the message as failed, with what to do", async () => {
    const conversationId = await miaWrites();
    graph.refuseSends(GRAPH_ERRORS.outsideWindow());
    const message = await replied(conversationId, { body: 'Are you still there?' });
    expect(await outcome(message)).toMatchObject({
      deliveryState: 'failed',
      deliveryError: "Outside Messenger's 24-hour window: reply with the HUMAN_AGENT tag (up to 7 days)",
    });
    expect((await thread(conversationId)).at(-1)).toMatchObject({ deliveryState: 'failed' });
  });

  it('says when the person is unavailable (551) or the page token expired (190)', async () => {
    const conversationId = await miaWrites();
    graph.refuseSends(GRAPH_ERRORS.unavailable(), GRAPH_ERRORS.tokenExpired());
    const first = await replied(conversationId, { body: 'First try' });
    expect(await outcome(first)).toMatchObject({
      deliveryState: 'failed',
      deliveryError: "This person isn't available on Messenger right now",
    });
    const second = await replied(conversationId, { body: 'Second try' });
    expect(await outcome(second)).toMatchObject({
      deliveryState: 'failed',
      deliveryError: 'The Messenger page token has expired; update MESSENGER_PAGE_TOKEN',
    });
  });

  it('tries again after a rate limit, and sends once Meta allows it', async () => {
    const conversationId = await miaWrites();
    graph.refuseSends(GRAPH_ERRORS.rateLimited());
    const message = await replied(conversationId, { body: 'Patience pays' });
    expect(await outcome(message)).toMatchObject({ deliveryState: 'sent' });
    expect(graph.sends.map((s) => s.body.message.text)).toEqual(['Patience pays', 'Patience pays']);
  });

  it('gives up after repeated rate limits, saying why', async () => {
    const conversationId = await miaWrites();
    graph.refuseSends(GRAPH_ERRORS.rateLimited(), GRAPH_ERRORS.rateLimited(), GRAPH_ERRORS.rateLimited());
    const message = await replied(conversationId, { body: 'Too eager' });
    expect(await outcome(message)).toMatchObject({
      deliveryState: 'failed',
      deliveryError: "Messenger's rate limit was reached; try again in a few minutes",
    });
    expect(graph.sends).toHaveLength(3);
  });

  it('says when the Graph API cannot be reached', async () => {
    const conversationId = await miaWrites();
    await graph.close();
    const message = await replied(conversationId, { body: 'Into the void' });
    expect(await outcome(message)).toMatchObject({
      deliveryState: 'failed',
      deliveryError: expect.stringMatching(/^Could not reach the Graph API: connect ECONNREFUSED 127.0.0.1:\d+$/),
    });
  });
});

describe('a restart', () => {
  it('marks a reply that was still being sent as failed, instead of leaving it queued or sending it twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-messenger-'));
    try {
      const first = await startTestParley({ messenger: testMessengerConfig(graph.url) }, dir);
      const agent = await AgentSession.signIn(first);
      await postWebhook(first.url, webhookPayload([personWrites('9101', 'm_restart', 'Hello')]));
      const page = (await (await agent.request('/api/conversations')).json()) as ConversationPage;
      const conversationId = page.conversations[0]!.id;
      const res = await agent.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body: 'Cut off' } });
      expect(res.status).toBe(201);
      await graph.nextSend();
      await first.close();
      // As if the process had died between storing the reply and hearing back from Meta.
      const file = new Database(join(dir, 'parley.db'));
      file.prepare("update messages set delivery_state = 'queued', external_id = null where author = 'agent'").run();
      file.close();

      const second = await startTestParley({ messenger: testMessengerConfig(graph.url) }, dir);
      const again = await AgentSession.signIn(second);
      const detail = (await (await again.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail;
      expect(detail.messages.at(-1)).toMatchObject({
        body: 'Cut off',
        deliveryState: 'failed',
        deliveryError: expect.stringMatching(/send it again/),
      });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
