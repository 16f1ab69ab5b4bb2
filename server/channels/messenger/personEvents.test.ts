// Messenger events beyond text, as Meta documents them (server/testing/corpus/messenger/), over real
// HTTP against a real Parley: button taps, locations, shared links, edits, reactions, and the kinds
// Parley ignores. Each one lands in the inbox live, or is acknowledged and left alone.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationDetail, ConversationPage } from '../../../shared/protocol';
import { AgentSession, startTestParley, type AgentClient, type TestParley } from '../../testing';
import { FakeGraph } from '../../testing/fakeGraph';
import { BUSINESS_SUITE_APP_ID, PAGE_ID, pageEcho, personWrites, postWebhook, testMessengerConfig, webhookPayload } from '../../testing/messengerEvents';

/** The person every fixture comes from. */
const PSID = '6904000000000001';

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
  vi.restoreAllMocks();
  await parley.destroy();
  await graph.close();
});

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../testing/corpus/messenger/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const json = async <T>(res: Response) => (await res.json()) as T;
const conversations = async () => (await json<ConversationPage>(await ada.request('/api/conversations?status=all'))).conversations;
const detail = async (id: number) => json<ConversationDetail>(await ada.request(`/api/conversations/${id}`));
const messageCount = () => (parley.database.sqlite.prepare('select count(*) as n from messages').get() as { n: number }).n;

async function metaSends(...events: unknown[]) {
  const res = await postWebhook(parley.url, webhookPayload(events));
  expect(res.status).toBe(200);
}

describe('button taps (postbacks)', () => {
  it('start a conversation showing the button’s title, stored once however often Meta retries', async () => {
    await metaSends(fixture('postback-get-started.json'));
    const { message, conversation } = await feed.next('message');
    expect(message).toMatchObject({ author: 'visitor', channel: 'messenger', body: 'Get Started' });
    expect(conversation).toMatchObject({ kind: 'messenger', unreadCount: 1, status: 'open' });
    await metaSends(fixture('postback-get-started.json'));
    expect(messageCount()).toBe(1);
  });

  it('show a persistent-menu item’s title and nothing of its payload', async () => {
    await metaSends(fixture('postback-persistent-menu.json'));
    const { message } = await feed.next('message');
    expect(message.body).toBe('Talk to a human');
    const [conversation] = await conversations();
    expect(JSON.stringify(await detail(conversation!.id))).not.toContain('HUMAN_AGENT');
  });

  it('continue the person’s conversation, after their messages', async () => {
    await metaSends(personWrites(PSID, 'm_before', 'Hello?'));
    await metaSends(fixture('postback-persistent-menu.json'));
    const [conversation, ...others] = await conversations();
    expect(others).toHaveLength(0);
    expect((await detail(conversation!.id)).messages.map((m) => m.body)).toEqual(['Hello?', 'Talk to a human']);
  });

  it('without a mid are told apart by time and payload: a retry is stored once, a second tap again', async () => {
    const tap = fixture('postback-without-mid.json');
    await metaSends(tap);
    await metaSends(tap);
    expect(messageCount()).toBe(1);
    await metaSends({ ...tap, timestamp: (tap.timestamp as number) + 5000 });
    expect(messageCount()).toBe(2);
  });

  it('read the documented sample: a time in seconds as a string, the payload only when there is no title', async () => {
    await metaSends(fixture('postback-doc-sample.json'));
    expect((await feed.next('message')).message).toMatchObject({ body: 'TITLE-FOR-THE-CTA', createdAt: 1527459824000 });
    await metaSends(fixture('postback-without-title.json'));
    expect((await feed.next('message')).message.body).toBe('DEVELOPER_DEFINED_PAYLOAD');
  });
});

describe('locations and links', () => {
  it('show a location as coordinates with a map link, live', async () => {
    await metaSends(fixture('location-coordinates.json'));
    const { message } = await feed.next('message');
    expect(message.body).toBe("Location (Ken's Location): 48.133637, 11.580985");
    expect(message.attachments).toEqual([
      {
        type: 'location',
        url: 'https://www.openstreetmap.org/?mlat=48.133637&mlon=11.580985#map=16/48.133637/11.580985',
        name: '48.133637, 11.580985 on OpenStreetMap',
      },
    ]);
  });

  it('show a shared link with its title, and a javascript: link as no link at all', async () => {
    await metaSends(fixture('link-fallback-payload.json'), fixture('link-fallback-hostile.json'));
    const [link, hostile] = [(await feed.next('message')).message, (await feed.next('message')).message];
    expect(link.attachments).toEqual([{ type: 'link', url: 'https://www.example.org/blog/2023/why-self-hosted-chat', name: 'Why we self-host our support chat' }]);
    expect(hostile.attachments ?? []).toEqual([]);
    expect(JSON.stringify(hostile)).not.toContain('javascript:');
  });
});

describe('edits', () => {
  it('replace the text, with an edited mark that agents see live, and update the list’s preview', async () => {
    await metaSends(personWrites(PSID, 'm_EditTarget0001', 'I need order 4417 changed'));
    const { message } = await feed.next('message');
    await metaSends(fixture('message-edit.json'));
    const updated = (await feed.next('messageUpdated')).message;
    expect(updated).toMatchObject({ id: message.id, body: 'I meant order 4471, not 4417', editedAt: 1700000540000 });
    expect((await feed.next('conversation')).conversation.lastMessagePreview).toBe('I meant order 4471, not 4417');
    const [conversation] = await conversations();
    expect((await detail(conversation!.id)).messages[0]).toMatchObject({ body: 'I meant order 4471, not 4417', editedAt: 1700000540000 });
  });

  it('ignore an older edit arriving late, an edit of a message never stored, and another person’s edit', async () => {
    await metaSends(personWrites(PSID, 'm_EditTarget0001', 'first words'));
    await metaSends(fixture('message-edit.json'));
    await feed.next('messageUpdated');
    const older = fixture('message-edit-doc-sample.json');
    const unknown = { ...fixture('message-edit.json'), timestamp: 1800000000000, message_edit: { mid: 'm_never_seen', text: 'ghost', num_edit: 1 } };
    const stranger = { ...fixture('message-edit.json'), sender: { id: '7999' }, timestamp: 1800000000000 };
    await metaSends(older, unknown, stranger);
    const [conversation] = await conversations();
    expect((await detail(conversation!.id)).messages.map((m) => m.body)).toEqual(['I meant order 4471, not 4417']);
    expect(feed.frames.filter((f) => f.type === 'messageUpdated')).toHaveLength(1);
  });
});

describe('reactions', () => {
  it('show on the person’s message they react to, live, and go away on unreact', async () => {
    await metaSends(personWrites(PSID, 'm_ReactTarget0001', 'Thanks!'));
    const { message } = await feed.next('message');
    await metaSends(fixture('reaction-react.json'));
    expect((await feed.next('messageUpdated')).message).toMatchObject({ id: message.id, reactions: [{ emoji: '❤️', author: 'visitor' }] });
    await metaSends(fixture('reaction-unreact.json'));
    expect((await feed.next('messageUpdated')).message.reactions ?? []).toEqual([]);
  });

  it('show on our own reply, and our page’s reaction apart from the person’s', async () => {
    await metaSends(personWrites(PSID, 'm_hi', 'Hi'));
    await metaSends(pageEcho(PSID, 'm_ReactTarget0001', 'Your parcel left today.', BUSINESS_SUITE_APP_ID));
    await feed.next('message');
    const reply = (await feed.next('message')).message;
    await metaSends(fixture('reaction-other-without-emoji.json'));
    expect((await feed.next('messageUpdated')).message).toMatchObject({ id: reply.id, reactions: [{ emoji: '👍', author: 'visitor' }] });
    const pageReacts = { sender: { id: PAGE_ID }, recipient: { id: PSID }, timestamp: Date.now(), reaction: { mid: 'm_hi', action: 'react', emoji: '🙏' } };
    await metaSends(pageReacts);
    expect((await feed.next('messageUpdated')).message.reactions).toEqual([{ emoji: '🙏', author: 'agent' }]);
  });

  it('to a message never stored change nothing', async () => {
    await metaSends(fixture('reaction-react.json'));
    expect(messageCount()).toBe(0);
    expect(await conversations()).toEqual([]);
  });
});

describe('other kinds of events', () => {
  const ignoredKinds = [
    'referral.json',
    'optin.json',
    'account-linking.json',
    'policy-enforcement.json',
    'pass-thread-control.json',
    'request-thread-control.json',
    'game-play.json',
    'unknown-kind.json',
  ];

  it('are answered 200 and ignored, each kind logged once however often it comes', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const events = ignoredKinds.map(fixture);
    await metaSends(...events);
    await metaSends(...events);
    expect((await postWebhook(parley.url, fixture('standby-body.json'))).status).toBe(200);
    expect((await postWebhook(parley.url, fixture('standby-body.json'))).status).toBe(200);
    expect(messageCount()).toBe(0);
    const lines = warn.mock.calls.map((call) => String(call[0]));
    expect(lines).toHaveLength(ignoredKinds.length + 1);
    for (const kind of ['referral', 'optin', 'account_linking', 'policy_enforcement', 'pass_thread_control', 'request_thread_control', 'game_play', 'response_feedback', 'standby']) {
      expect(lines.some((line) => line.includes(`"${kind}"`))).toBe(true);
    }
  });

  it('in one batch with a message leave the message alone', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await metaSends(fixture('referral.json'), personWrites(PSID, 'm_after_referral', 'I came from your ad'));
    expect((await feed.next('message')).message.body).toBe('I came from your ad');
  });
});
