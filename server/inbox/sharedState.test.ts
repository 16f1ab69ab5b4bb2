// Shared inbox state over the real API and sockets: two agents and one visitor, each transition
// seen live by both agents.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationPage, SavedResponse, SearchResult } from '../../shared/protocol';
import { AgentSession, connectVisitor, startTestParley, type AgentClient, type TestParley, type VisitorClient } from '../testing';

let parley: TestParley;
let ada: AgentSession;
let grace: AgentSession;
let adaFeed: AgentClient;
let graceFeed: AgentClient;

beforeEach(async () => {
  parley = await startTestParley();
  ada = await AgentSession.signIn(parley);
  const added = await ada.request('/api/agents', {
    method: 'POST',
    body: { email: 'grace@example.com', name: 'Grace', password: 'grace password' },
  });
  expect(added.status).toBe(201);
  grace = await AgentSession.signIn(parley, { email: 'grace@example.com', password: 'grace password', name: 'Grace' });
  [adaFeed, graceFeed] = await Promise.all([ada.openSocket(), grace.openSocket()]);
});
afterEach(async () => {
  await parley.destroy();
});

async function visitorSays(body: string, visitor?: VisitorClient) {
  const client = visitor ?? (await connectVisitor(parley, { page: { url: 'https://shop.example/beans', referrer: 'https://search.example/' } })).client;
  client.send({ type: 'send', clientId: `msg-${Math.random().toString(36).slice(2, 12)}`, body });
  const ack = await client.next('ack');
  return { visitor: client, conversationId: ack.message.conversationId };
}

const json = async <T>(res: Response) => (await res.json()) as T;

describe('read state', () => {
  it('counts a new visitor message as unread for every agent, and clears it for all when one opens it', async () => {
    const { conversationId } = await visitorSays('Hello?');
    for (const feed of [adaFeed, graceFeed]) {
      expect((await feed.next('message')).conversation.unreadCount).toBe(1);
      expect(await feed.next('unread')).toEqual({ type: 'unread', conversations: 1 });
    }
    const list = await json<ConversationPage>(await grace.request('/api/conversations'));
    expect(list.unreadConversations).toBe(1);

    expect((await ada.request(`/api/conversations/${conversationId}/read`, { method: 'POST' })).status).toBe(200);
    for (const feed of [adaFeed, graceFeed]) {
      expect((await feed.next('conversation')).conversation).toMatchObject({ id: conversationId, unreadCount: 0 });
      expect(await feed.next('unread')).toEqual({ type: 'unread', conversations: 0 });
    }
  });

  it('treats an agent reply as read', async () => {
    const { conversationId } = await visitorSays('Hello?');
    await ada.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body: 'Hi!' } });
    const list = await json<ConversationPage>(await grace.request('/api/conversations'));
    expect(list.conversations[0]).toMatchObject({ unreadCount: 0, lastMessageAuthor: 'agent', lastMessageAgentName: 'Ada' });
    expect(list.unreadConversations).toBe(0);
  });
});

describe('complete', () => {
  it('completes for everyone, and a new visitor message opens it again, live', async () => {
    const { visitor, conversationId } = await visitorSays('Thanks, that is all');
    const completed = await ada.request(`/api/conversations/${conversationId}/complete`, { method: 'POST' });
    expect((await json<{ conversation: { status: string } }>(completed)).conversation.status).toBe('complete');
    expect((await graceFeed.next('conversation')).conversation.status).toBe('complete');

    const open = await json<ConversationPage>(await grace.request('/api/conversations?status=open'));
    expect(open.conversations.map((c) => c.id)).not.toContain(conversationId);
    const complete = await json<ConversationPage>(await grace.request('/api/conversations?status=complete'));
    expect(complete.conversations.map((c) => c.id)).toEqual([conversationId]);

    await visitorSays('Actually, one more thing', visitor);
    for (const feed of [adaFeed, graceFeed]) {
      const frame = await feed.next('message', (f) => f.message.body === 'Actually, one more thing');
      expect(frame.conversation).toMatchObject({ id: conversationId, status: 'open', unreadCount: 2 }); // nobody read the first
    }
  });

  it('can be reopened by an agent, and is never deleted', async () => {
    const { conversationId } = await visitorSays('hi');
    await ada.request(`/api/conversations/${conversationId}/complete`, { method: 'POST' });
    const reopened = await grace.request(`/api/conversations/${conversationId}/reopen`, { method: 'POST' });
    expect((await json<{ conversation: { status: string } }>(reopened)).conversation.status).toBe('open');
    expect((await ada.request(`/api/conversations/${conversationId}`, { method: 'DELETE' })).status).toBe(405);
    expect((await ada.request('/api/conversations/999/complete', { method: 'POST' })).status).toBe(404);
  });
});

describe('saved responses and personalization', () => {
  it('creates, lists by category, edits and deletes saved responses', async () => {
    const created = await ada.request('/api/saved-responses', {
      method: 'POST',
      body: { title: 'Greeting', body: 'Hi {{contact.first_name | there}}!', category: 'Openers' },
    });
    expect(created.status).toBe(201);
    const { savedResponse } = await json<{ savedResponse: SavedResponse }>(created);
    await grace.request('/api/saved-responses', { method: 'POST', body: { title: 'Refunds', body: 'Refunds take 5 days.', category: 'Billing' } });

    const listed = await json<{ savedResponses: SavedResponse[]; categories: string[] }>(await grace.request('/api/saved-responses'));
    expect(listed.categories).toEqual(['Billing', 'Openers']);
    expect(listed.savedResponses.map((r) => r.title)).toEqual(['Refunds', 'Greeting']);

    const edited = await grace.request(`/api/saved-responses/${savedResponse.id}`, { method: 'PATCH', body: { title: 'Hello' } });
    expect((await json<{ savedResponse: SavedResponse }>(edited)).savedResponse).toMatchObject({ title: 'Hello', category: 'Openers' });
    expect((await ada.request(`/api/saved-responses/${savedResponse.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await ada.request(`/api/saved-responses/${savedResponse.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await ada.request('/api/saved-responses', { method: 'POST', body: { title: '', body: 'x', category: 'c' } })).status).toBe(400);
  });

  it('fills personalization tags on send, and refuses an unknown tag before anything reaches the visitor', async () => {
    const { visitor, conversationId } = await visitorSays('Hello');
    visitor.send({ type: 'identify', email: 'mia@example.com', name: 'Mia Wong' });
    await adaFeed.next('conversation');

    const bad = await grace.request(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      body: { body: 'Your order {{order.id}} shipped' },
    });
    expect(bad.status).toBe(400);
    expect((await json<{ error: string }>(bad)).error).toMatch(/^Unknown tag \{\{order\.id\}\}/);

    await grace.request(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      body: { body: 'Hi {{contact.first_name | there}}, {{agent.name}} here. Mail goes to {{contact.email}}.' },
    });
    const reply = await visitor.next('message');
    expect(reply.message.body).toBe('Hi Mia, Grace here. Mail goes to mia@example.com.');
    expect(visitor.frames.filter((f) => f.type === 'message')).toHaveLength(1); // the refused one never arrived
  });
});

describe('typing and collisions', () => {
  it('shows agents a live preview of what the visitor types, at most one frame per 2 s', async () => {
    const { visitor, conversationId } = await visitorSays('hi');
    visitor.send({ type: 'typing', preview: 'I would like to ord' });
    visitor.send({ type: 'typing', preview: 'I would like to order' }); // too soon: dropped
    expect(await adaFeed.next('visitorTyping')).toEqual({ type: 'visitorTyping', conversationId, preview: 'I would like to ord' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(adaFeed.frames.filter((f) => f.type === 'visitorTyping')).toHaveLength(1);
  });

  it('tells each agent who else is viewing and typing, and tells the visitor an agent is typing', async () => {
    const { visitor, conversationId } = await visitorSays('hi');
    adaFeed.send({ type: 'viewing', conversationId });
    expect((await graceFeed.next('viewers')).viewers).toEqual([{ agentId: 1, name: 'Ada', typing: false }]);
    graceFeed.send({ type: 'viewing', conversationId });
    const both = await adaFeed.next('viewers', (f) => f.viewers.length === 2);
    expect(both.viewers.map((v) => v.name).sort()).toEqual(['Ada', 'Grace']);

    graceFeed.send({ type: 'typing', conversationId });
    expect(await visitor.next('typing')).toEqual({ type: 'typing', agentName: 'Grace' });
    await adaFeed.next('viewers', (f) => f.viewers.some((v) => v.name === 'Grace' && v.typing));

    await grace.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body: 'On it!' } });
    await adaFeed.next('viewers', (f) => f.viewers.some((v) => v.name === 'Grace' && !v.typing)); // sending ends typing

    graceFeed.send({ type: 'typing', conversationId });
    await new Promise((resolve) => setTimeout(resolve, 1600)); // past the 2 s client throttle's server slack
    graceFeed.send({ type: 'typing', conversationId });
    await adaFeed.next('viewers', (f) => f.viewers.some((v) => v.name === 'Grace' && v.typing));
    graceFeed.close(); // Grace closes her inbox mid-reply
    expect(await visitor.next('typing')).toEqual({ type: 'typing', agentName: null });
    await adaFeed.next('viewers', (f) => f.viewers.length === 1 && f.viewers[0]?.name === 'Ada');
  });
});

describe('contact panel and search', () => {
  it('shows where the visitor is, what they browse with, and their other conversations', async () => {
    const { client } = await connectVisitor(parley, { page: { url: 'https://shop.example/beans', referrer: 'https://search.example/' } });
    const { conversationId } = await visitorSays('hi', client);
    const detail = await json<ConversationDetail>(await ada.request(`/api/conversations/${conversationId}`));
    expect(detail.contact).toMatchObject({
      name: null,
      pageUrl: 'https://shop.example/beans',
      referrer: 'https://search.example/',
      conversationCount: 1,
    });
    expect(detail.contact.firstSeen).toBeGreaterThan(Date.now() - 60_000);
  });

  it('finds conversations by message text (prefixes too) and by contact name or email', async () => {
    const { visitor } = await visitorSays('Do you ship espresso beans to Norway?');
    visitor.send({ type: 'identify', email: 'lars@example.no', name: 'Lars Berg' });
    await visitorSays('Is decaf available?');
    await adaFeed.next('conversation');

    const byText = await json<{ results: SearchResult[] }>(await ada.request(`/api/search?q=${encodeURIComponent('espresso norw')}`));
    expect(byText.results).toHaveLength(1);
    expect(byText.results[0]?.snippet).toContain('«espresso»');
    const byName = await json<{ results: SearchResult[] }>(await ada.request('/api/search?q=lars'));
    expect(byName.results[0]?.conversation.title).toBe('Lars Berg');
    expect((await ada.request('/api/search?q=%22%29%28*')).status).toBe(200); // FTS syntax is not an error
    expect((await ada.request('/api/search?q=')).status).toBe(400);
  });
});

describe('agents', () => {
  it('lets an admin deactivate an agent, ending their sessions and live inbox at once', async () => {
    const list = await json<{ agents: { id: number; name: string }[] }>(await ada.request('/api/agents'));
    const graceId = list.agents.find((a) => a.name === 'Grace')?.id;
    expect((await grace.request('/api/agents')).status).toBe(403); // not an admin

    const res = await ada.request(`/api/agents/${graceId}/deactivate`, { method: 'POST' });
    expect((await json<{ agent: { active: boolean } }>(res)).agent.active).toBe(false);
    expect(await graceFeed.next('signedOut')).toEqual({ type: 'signedOut' });
    await graceFeed.closed;
    expect((await grace.request('/api/conversations')).status).toBe(401);
    const again = await fetch(`${parley.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ email: 'grace@example.com', password: 'grace password' }),
    });
    expect(again.status).toBe(401);
    expect((await ada.request(`/api/agents/1/deactivate`, { method: 'POST' })).status).toBe(409); // not yourself
  });
});
