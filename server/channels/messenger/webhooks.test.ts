// Meta's side of the webhook over real HTTP against a real Parley (SQLite file, agent socket): the
// handshake, signatures, and every kind of event landing in the inbox, live.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationPage, SessionView } from '../../../shared/protocol';
import { FakeGraph } from '../../testing/fakeGraph';
import {
  APP_ID,
  BUSINESS_SUITE_APP_ID,
  delivered,
  metaSignature,
  pageEcho,
  personSends,
  personWrites,
  postWebhook,
  seen,
  testMessengerConfig,
  webhookPayload,
} from '../../testing/messengerEvents';
import { AgentSession, startTestParley, waitUntil, type AgentClient, type TestParley } from '../../testing';

let graph: FakeGraph;
let parley: TestParley;
let ada: AgentSession;
let feed: AgentClient;

beforeEach(async () => {
  graph = await FakeGraph.start();
  parley = await startTestParley({ messenger: testMessengerConfig(graph.url) });
  ada = await AgentSession.signIn(parley);
  feed = await ada.openSocket();
});
afterEach(async () => {
  await parley.destroy();
  await graph.close();
});

const corpus = (name: string) => readFileSync(resolve(import.meta.dirname, '../../testing/corpus/attachments', name));
const json = async <T>(res: Response) => (await res.json()) as T;
const list = async () => (await json<ConversationPage>(await ada.request('/api/conversations?status=all'))).conversations;
const detail = async (id: number) => json<ConversationDetail>(await ada.request(`/api/conversations/${id}`));
const messageCount = () => parley.database.sqlite.prepare('select count(*) as n from messages').get() as { n: number };

/** Posts one signed webhook whose single entry holds these events; expects Meta's 200. */
async function metaSends(...events: unknown[]) {
  const res = await postWebhook(parley.url, webhookPayload(events));
  expect(res.status).toBe(200);
}

describe('the verification handshake', () => {
  const verify = (query: string) => fetch(`${parley.url}/webhooks/messenger?${query}`);

  it('echoes the challenge when the verify token is ours', async () => {
    const res = await verify('hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1158201444');
  });

  it('refuses a wrong token, a wrong mode or a missing challenge', async () => {
    for (const query of [
      'hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1',
      'hub.mode=unsubscribe&hub.verify_token=test-verify-token&hub.challenge=1',
      'hub.mode=subscribe&hub.verify_token=test-verify-token',
      '',
    ]) {
      expect((await verify(query)).status).toBe(403);
    }
  });
});

describe('signatures', () => {
  const payload = webhookPayload([personWrites('7001', 'm_forged', 'Send me your refund')]);

  it('refuses forged, unsigned and malformed signatures with 403, storing nothing', async () => {
    const raw = JSON.stringify(payload);
    const good = metaSignature(raw, 'test-app-secret');
    for (const signature of [
      metaSignature(raw, 'not-the-app-secret'),
      null,
      good.slice(0, 20),
      `${good}ff`,
      good.replace('sha256=', 'sha1='),
      'sha256=' + 'g'.repeat(64),
    ]) {
      const res = await postWebhook(parley.url, raw, { signature });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'Bad or missing X-Hub-Signature-256' });
    }
    expect(messageCount().n).toBe(0);
    expect(await list()).toEqual([]);
  });

  it('checks the bytes Meta sent: escaped unicode is accepted, a signature over re-serialised JSON is not', async () => {
    // Meta sends "Caf\u00e9" escaped and signs those bytes.
    const raw = JSON.stringify(webhookPayload([personWrites('7002', 'm_cafe', 'Café ☕ ouvert ?')])).replace(
      /[\u0080-\uffff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(raw).toContain('Caf\\u00e9');
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect((await postWebhook(parley.url, raw, { signature: metaSignature(reserialised, 'test-app-secret') })).status).toBe(403);

    expect((await postWebhook(parley.url, raw)).status).toBe(200);
    const { message } = await feed.next('message');
    expect(message.body).toBe('Café ☕ ouvert ?');
  });

  it('answers malformed JSON and foreign shapes under a good signature with 400 and a JSON error', async () => {
    const broken = await postWebhook(parley.url, '{"object":"page","entry":[');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'Body must be JSON' });
    const foreign = await postWebhook(parley.url, { hello: 'world' });
    expect(foreign.status).toBe(400);
    expect(messageCount().n).toBe(0);
  });

  it('refuses bodies over 1 MB', async () => {
    const huge = JSON.stringify(webhookPayload([personWrites('7003', 'm_huge', 'x'.repeat(1024 * 1024))]));
    expect((await postWebhook(parley.url, huge)).status).toBe(413);
    expect(messageCount().n).toBe(0);
  });

  it('acknowledges events of other products without storing them', async () => {
    const instagram = { object: 'instagram', entry: [{ id: '1', time: 1, messaging: [personWrites('7004', 'm_ig', 'hi')] }] };
    const res = await postWebhook(parley.url, instagram);
    expect(res.status).toBe(200);
    expect(messageCount().n).toBe(0);
  });
});

describe('incoming messages', () => {
  it('puts a text message in the inbox live, as a Messenger conversation of an unnamed person', async () => {
    await metaSends(personWrites('7101', 'm_hello', 'Hi, is the shop open on Sunday?'));
    const { message, conversation } = await feed.next('message');
    expect(message).toMatchObject({ author: 'visitor', channel: 'messenger', body: 'Hi, is the shop open on Sunday?' });
    expect(conversation).toMatchObject({ kind: 'messenger', title: 'Messenger user', unreadCount: 1, status: 'open' });
    expect(conversation.lastInboundAt).toBe(message.createdAt);
    // No contact record for a Messenger sender.
    expect(parley.database.sqlite.prepare('select count(*) as n from contacts').get()).toEqual({ n: 0 });
  });

  it('starts one conversation per new sender, and files later messages of the same sender in it', async () => {
    await metaSends(personWrites('7201', 'm_a1', 'First from A'));
    await metaSends(personWrites('7202', 'm_b1', 'First from B'));
    await metaSends(personWrites('7201', 'm_a2', 'Second from A'));
    const conversations = await list();
    expect(conversations).toHaveLength(2);
    const a = (await detail(conversations.find((c) => c.lastMessagePreview === 'Second from A')!.id)).messages;
    expect(a.map((m) => m.body)).toEqual(['First from A', 'Second from A']);
  });

  it('handles batched entries and events in order', async () => {
    const res = await postWebhook(
      parley.url,
      webhookPayload(
        [personWrites('7301', 'm_b1', 'one'), personWrites('7302', 'm_b2', 'two')],
        [personWrites('7301', 'm_b3', 'three'), { sender: { id: '7301' }, recipient: { id: '1' }, postback: { payload: 'GET_STARTED' } }],
      ),
    );
    expect(res.status).toBe(200);
    const conversations = await list();
    expect(conversations).toHaveLength(2);
    const bodies = (await Promise.all(conversations.map(async (c) => (await detail(c.id)).messages.map((m) => m.body)))).flat().sort();
    // The postback is the person's button tap: with no title, its payload is all there is to show.
    expect(bodies).toEqual(['GET_STARTED', 'one', 'three', 'two']);
  });

  it('skips an event of a broken shape without losing the rest of the batch', async () => {
    await metaSends({ sender: { id: 7401 }, message: 'not an object' }, personWrites('7402', 'm_ok', 'still here'));
    expect((await feed.next('message')).message.body).toBe('still here');
    expect(messageCount().n).toBe(1);
  });

  it('shows an image and a file as attachments, then points them at our own copies', async () => {
    const photo = corpus('python.jpg');
    const pdf = corpus('python.gif');
    const photoUrl = graph.serveFile('receipt.jpg', photo, 'image/jpeg');
    const fileUrl = graph.serveFile('order-1042.pdf', pdf, 'application/pdf');
    await metaSends(personSends('7501', 'm_files', [{ type: 'image', payload: { url: photoUrl } }, { type: 'file', payload: { url: fileUrl } }]));
    const { message } = await feed.next('message');
    expect(message.body).toBe('[Photo] [File]');
    // Until the copies are made, Meta's own addresses.
    expect(message.attachments).toEqual([
      { type: 'image', url: photoUrl },
      { type: 'file', url: fileUrl, name: 'order-1042.pdf' },
    ]);
    const { message: copied } = await feed.next('messageUpdated', (f) => f.message.id === message.id);
    expect(copied.attachments).toEqual([
      { type: 'image', name: 'photo-1.jpg', mimeType: 'image/jpeg', size: photo.length, url: expect.stringMatching(/^\/api\/attachments\/\d+$/) },
      { type: 'file', name: 'order-1042.pdf', mimeType: 'application/pdf', size: pdf.length, url: expect.stringMatching(/^\/api\/attachments\/\d+$/) },
    ]);
    expect((await detail(message.conversationId)).messages[0]!.attachments).toEqual(copied.attachments);
    const kept = await ada.request(copied.attachments![0]!.url);
    expect(Buffer.from(await kept.arrayBuffer()).equals(photo)).toBe(true);
  });

  it('makes the copies a restart cut short when it starts again', async () => {
    const photo = corpus('python.jpg');
    const photoUrl = graph.serveFile('receipt.jpg', photo, 'image/jpeg');
    await metaSends(personSends('7503', 'm_restart', [{ type: 'image', payload: { url: photoUrl } }]));
    const { message } = await feed.next('message');
    await feed.next('messageUpdated', (f) => f.message.id === message.id);
    // As a shutdown deadline leaves it: the message stored, its file still at Meta's address.
    parley.database.sqlite.prepare('update messages set attachments = ? where id = ?').run(JSON.stringify(message.attachments), message.id);
    await parley.close();
    parley = await startTestParley({ messenger: testMessengerConfig(graph.url) }, parley.dir);
    ada = await AgentSession.signIn(parley);
    const copied = await waitUntil(
      async () => (await detail(message.conversationId)).messages[0]!.attachments![0]!,
      (a) => a.url.startsWith('/api/attachments/'),
    );
    expect(copied).toMatchObject({ type: 'image', mimeType: 'image/jpeg', size: photo.length });
    expect(Buffer.from(await (await ada.request(copied.url)).arrayBuffer()).equals(photo)).toBe(true);
  });

  it('says why a file was not kept: over the cap, gone, or redirected off https', async () => {
    await parley.destroy();
    parley = await startTestParley({ messenger: testMessengerConfig(graph.url), attachments: { maxFileBytes: 800, maxMessageBytes: 10_000 } });
    ada = await AgentSession.signIn(parley);
    feed = await ada.openSocket();
    const tooLarge = graph.serveFile('big.png', corpus('python.png'), 'image/png');
    const gone = `${graph.url}/cdn/expired.jpg`;
    const bounced = graph.redirectFile('moved.jpg', 'ftp://files.example/moved.jpg');
    const kept = graph.serveFile('small.gif', corpus('python.gif'), 'image/gif');
    await metaSends(
      personSends('7502', 'm_failing', [
        { type: 'image', payload: { url: tooLarge } },
        { type: 'image', payload: { url: gone } },
        { type: 'image', payload: { url: bounced } },
        { type: 'image', payload: { url: kept } },
      ]),
    );
    const { message } = await feed.next('message');
    const { message: updated } = await feed.next('messageUpdated', (f) => f.message.id === message.id);
    const [big, expired, moved, small] = updated.attachments!;
    expect(big).toMatchObject({ type: 'image', url: '', notKept: 'larger than 800 bytes, the limit per file' });
    expect(expired).toMatchObject({ type: 'image', url: '', notKept: 'the download failed (HTTP 404)' });
    expect(moved).toMatchObject({ type: 'image', url: '', notKept: 'its address is not https' });
    expect(small).toMatchObject({ type: 'image', mimeType: 'image/gif', size: 405, url: expect.stringMatching(/^\/api\/attachments\//) });
  });

  it('stores a retried delivery (same mid) once', async () => {
    const event = personWrites('7601', 'm_retried', 'Are you there?');
    await metaSends(event);
    await metaSends(event);
    await postWebhook(parley.url, webhookPayload([event], [event]));
    expect(messageCount().n).toBe(1);
    const [conversation] = await list();
    expect(conversation!.unreadCount).toBe(1);
  });

  it('reopens a completed conversation when the person writes again', async () => {
    await metaSends(personWrites('7701', 'm_r1', 'Thanks, all good'));
    const { conversation } = await feed.next('message');
    await ada.request(`/api/conversations/${conversation.id}/complete`, { method: 'POST' });
    await metaSends(personWrites('7701', 'm_r2', 'Actually, one more thing'));
    const next = await feed.next('message', (f) => f.message.body === 'Actually, one more thing');
    expect(next.conversation).toMatchObject({ id: conversation.id, status: 'open' });
  });
});

describe('names', () => {
  it("shows the sender's name from their Messenger profile once Meta tells it", async () => {
    graph.profiles.set('7801', { first_name: 'Mia', last_name: 'Wong' });
    await metaSends(personWrites('7801', 'm_named', 'Hello'));
    const named = await feed.next('conversation', (f) => f.conversation.title === 'Mia Wong');
    expect(named.conversation.kind).toBe('messenger');
    expect((await list())[0]!.title).toBe('Mia Wong');
  });

  it('keeps "Messenger user" when the profile lookup is refused, and asks only once', async () => {
    await metaSends(personWrites('7802', 'm_anon1', 'Hello'));
    await expect.poll(() => graph.lookups).toEqual(['7802']);
    await metaSends(personWrites('7802', 'm_anon2', 'Hello again'));
    await feed.next('message', (f) => f.message.body === 'Hello again');
    expect((await list())[0]!.title).toBe('Messenger user');
    expect(graph.lookups).toEqual(['7802']);
  });
});

describe('echoes of our page', () => {
  /** A person wrote and Ada replied; resolves once the Send API answered. */
  async function adaReplied(psid: string, text: string) {
    await metaSends(personWrites(psid, `m_in_${psid}`, 'Hi'));
    const { conversation } = await feed.next('message');
    const res = await ada.request(`/api/conversations/${conversation.id}/messages`, { method: 'POST', body: { body: text } });
    expect(res.status).toBe(201);
    await feed.next('messageUpdated', (f) => f.message.deliveryState === 'sent');
    return { conversationId: conversation.id, mid: graph.sends.at(-1)!.messageId! };
  }

  it('does not duplicate the echo of our own send, recognised by its mid', async () => {
    await parley.destroy();
    parley = await startTestParley({ messenger: testMessengerConfig(graph.url, { appId: null }) });
    ada = await AgentSession.signIn(parley);
    feed = await ada.openSocket();
    const { conversationId, mid } = await adaReplied('7901', 'Hello from Ada');
    await metaSends(pageEcho('7901', mid, 'Hello from Ada', APP_ID));
    expect((await detail(conversationId)).messages.map((m) => m.body)).toEqual(['Hi', 'Hello from Ada']);
  });

  it('does not duplicate the echo of our own send, recognised by our app_id before the Send API answers', async () => {
    await metaSends(personWrites('7902', 'm_in', 'Hi'));
    const { conversation } = await feed.next('message');
    const release = graph.holdSends();
    await ada.request(`/api/conversations/${conversation.id}/messages`, { method: 'POST', body: { body: 'On its way' } });
    await graph.nextSend();
    await metaSends(pageEcho('7902', 'm_echo_early', 'On its way', APP_ID));
    // Whatever its text, a message our app sent is never imported as one typed elsewhere.
    await metaSends(pageEcho('7902', 'm_echo_other', 'Sent by this app earlier', APP_ID));
    release();
    await feed.next('messageUpdated', (f) => f.message.deliveryState === 'sent');
    expect((await detail(conversation.id)).messages.map((m) => m.body)).toEqual(['Hi', 'On its way']);
  });

  it('does not duplicate an early echo even without a configured app id (same text in flight)', async () => {
    await parley.destroy();
    parley = await startTestParley({ messenger: testMessengerConfig(graph.url, { appId: null }) });
    ada = await AgentSession.signIn(parley);
    feed = await ada.openSocket();
    await metaSends(personWrites('7903', 'm_in', 'Hi'));
    const { conversation } = await feed.next('message');
    const release = graph.holdSends();
    await ada.request(`/api/conversations/${conversation.id}/messages`, { method: 'POST', body: { body: 'Racing the echo' } });
    await graph.nextSend();
    await metaSends(pageEcho('7903', 'm_echo_race', 'Racing the echo', APP_ID));
    release();
    await feed.next('messageUpdated', (f) => f.message.deliveryState === 'sent');
    expect((await detail(conversation.id)).messages.map((m) => m.body)).toEqual(['Hi', 'Racing the echo']);
  });

  it('imports a reply typed in Meta Business Suite as an outgoing message, once', async () => {
    await metaSends(personWrites('7904', 'm_in', 'Do you ship to Norway?'));
    const { conversation } = await feed.next('message');
    const echo = pageEcho('7904', 'm_suite', 'Yes, we do!', BUSINESS_SUITE_APP_ID);
    await metaSends(echo);
    await metaSends(echo);
    const { message, conversation: after } = await feed.next('message', (f) => f.message.body === 'Yes, we do!');
    expect(message).toMatchObject({ author: 'agent', authorName: null, channel: 'messenger', deliveryState: 'sent' });
    expect(after).toMatchObject({ id: conversation.id, lastMessageAuthor: 'agent', unreadCount: 0 });
    expect((await detail(conversation.id)).messages.map((m) => m.body)).toEqual(['Do you ship to Norway?', 'Yes, we do!']);
    expect(graph.sends).toEqual([]);
  });
});

describe('delivery and read reports', () => {
  it('move our sent message to delivered, then read, live, and never back', async () => {
    await metaSends(personWrites('8001', 'm_in', 'Hi'));
    const { conversation } = await feed.next('message');
    await ada.request(`/api/conversations/${conversation.id}/messages`, { method: 'POST', body: { body: 'Hello!' } });
    const sent = await feed.next('messageUpdated', (f) => f.message.deliveryState === 'sent');
    const mid = graph.sends[0]!.messageId!;

    await metaSends(delivered('8001', Date.now(), [mid]));
    expect((await feed.next('messageUpdated')).message).toMatchObject({ id: sent.message.id, deliveryState: 'delivered' });
    await metaSends(seen('8001', Date.now()));
    expect((await feed.next('messageUpdated')).message).toMatchObject({ id: sent.message.id, deliveryState: 'read' });
    await metaSends(delivered('8001', Date.now()));
    const [stored] = (await detail(conversation.id)).messages.filter((m) => m.author === 'agent');
    expect(stored!.deliveryState).toBe('read');
  });

  it('leave messages sent after the watermark as they are', async () => {
    await metaSends(personWrites('8002', 'm_in', 'Hi'));
    const { conversation } = await feed.next('message');
    const before = Date.now() - 1;
    await ada.request(`/api/conversations/${conversation.id}/messages`, { method: 'POST', body: { body: 'Later' } });
    await feed.next('messageUpdated', (f) => f.message.deliveryState === 'sent');
    await metaSends(seen('8002', before));
    const [stored] = (await detail(conversation.id)).messages.filter((m) => m.author === 'agent');
    expect(stored!.deliveryState).toBe('sent');
  });
});

describe('the inbox session', () => {
  it('offers Messenger only when it is configured', async () => {
    const session = await json<SessionView>(await ada.request('/api/session'));
    expect(session.channels.messenger).toBe(true);

    const plain = await startTestParley();
    try {
      const view = await json<SessionView>(await fetch(`${plain.url}/api/session`));
      expect(view.channels.messenger).toBe(false);
      expect((await fetch(`${plain.url}/webhooks/messenger?hub.mode=subscribe`)).status).toBe(404);
    } finally {
      await plain.destroy();
    }
  });
});
