// Assignment over the real API: who owns a conversation, live for every agent, taken by a reply, and
// the list's "Assigned to" filter with its keyset paging.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord, ConversationPage, ConversationSummary } from '../../../shared/protocol';
import { AgentSession, connectVisitor, startTestParley, type TestParley } from '../../testing';

let parley: TestParley;
let ada: AgentSession;
let grace: AgentSession;
let graceId: number;
let adaId: number;

beforeEach(async () => {
  parley = await startTestParley();
  ada = await AgentSession.signIn(parley);
  const created = await ada.request('/api/agents', {
    method: 'POST',
    body: { email: 'grace@example.com', name: 'Grace Hopper', password: 'long enough', role: 'agent' },
  });
  graceId = ((await created.json()) as { agent: AgentRecord }).agent.id;
  grace = await AgentSession.signIn(parley, { email: 'grace@example.com', password: 'long enough', name: 'Grace Hopper' });
  const { agents } = (await (await ada.request('/api/agents')).json()) as { agents: AgentRecord[] };
  adaId = agents.find((a) => a.email === 'ada@example.com')!.id;
});
afterEach(async () => {
  await parley.destroy();
});

async function visitorWrites(body: string): Promise<number> {
  const { client } = await connectVisitor(parley);
  client.send({ type: 'send', clientId: `msg-${Math.random().toString(36).slice(2, 12)}`, body });
  const ack = await client.next('ack');
  client.close();
  return ack.message.conversationId;
}

const assign = (as: AgentSession, id: number, agentId: number | null) =>
  as.request(`/api/conversations/${id}/assignee`, { method: 'PUT', body: { agentId } });

const list = async (as: AgentSession, query: string) =>
  (await (await as.request(`/api/conversations?${query}`)).json()) as ConversationPage;

describe('assigning a conversation', () => {
  it('gives it to a colleague, and every agent sees the new owner live', async () => {
    const id = await visitorWrites('Where is my order?');
    const graceSocket = await grace.openSocket();
    const res = await assign(ada, id, graceId);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { conversation: ConversationSummary }).conversation).toMatchObject({
      assigneeId: graceId,
      assigneeName: 'Grace Hopper',
    });
    const frame = await graceSocket.next('conversation', (f) => f.conversation.id === id);
    expect(frame.conversation.assigneeName).toBe('Grace Hopper');
    graceSocket.close();
  });

  it('unassigns with null', async () => {
    const id = await visitorWrites('hi');
    await assign(ada, id, graceId);
    const res = await assign(ada, id, null);
    expect(((await res.json()) as { conversation: ConversationSummary }).conversation.assigneeId).toBeNull();
  });

  it('refuses an unknown or deactivated agent with a JSON 400, and an unknown conversation with 404', async () => {
    const id = await visitorWrites('hi');
    const unknown = await assign(ada, id, 9999);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: 'No such agent' });

    await ada.request(`/api/agents/${graceId}/deactivate`, { method: 'POST' });
    expect((await assign(ada, id, graceId)).status).toBe(400);
    expect((await assign(ada, 9999, adaId)).status).toBe(404);
    const bad = await ada.request(`/api/conversations/${id}/assignee`, { method: 'PUT', body: { agentId: 'grace' } });
    expect(bad.status).toBe(400);
  });

  it('gives an unassigned conversation to the agent who replies, in the live summary too', async () => {
    const id = await visitorWrites('Anyone there?');
    const adaSocket = await ada.openSocket();
    await grace.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'I am!' } });
    const frame = await adaSocket.next('message', (f) => f.message.author === 'agent');
    expect(frame.conversation).toMatchObject({ assigneeId: graceId, assigneeName: 'Grace Hopper' });
    adaSocket.close();
  });

  it('leaves an owned conversation with its owner when someone else replies', async () => {
    const id = await visitorWrites('hello');
    await assign(ada, id, adaId);
    await grace.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Helping out' } });
    const [row] = (await list(ada, 'status=all')).conversations;
    expect(row).toMatchObject({ id, assigneeId: adaId });
  });
});

describe('the "Assigned to" filter', () => {
  it('lists mine, nobody\'s or anyone\'s, combined with the status, paged by cursor', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await visitorWrites(`visitor ${i}`));
    // Grace owns 1, 3 and 5; 2 is Ada's; 4 is nobody's; 5 is complete.
    for (const i of [0, 2, 4]) await assign(ada, ids[i]!, graceId);
    await assign(ada, ids[1]!, adaId);
    await grace.request(`/api/conversations/${ids[4]}/complete`, { method: 'POST' });

    const previews = (page: ConversationPage) => page.conversations.map((c) => c.lastMessagePreview);
    const mine = await list(grace, 'assigned=me&limit=2');
    expect(previews(mine)).toEqual(['visitor 5', 'visitor 3']);
    expect(previews(await list(grace, `assigned=me&limit=2&cursor=${mine.nextCursor}`))).toEqual(['visitor 1']);
    expect(previews(await list(grace, 'assigned=me&status=open'))).toEqual(['visitor 3', 'visitor 1']);
    expect(previews(await list(ada, 'assigned=me'))).toEqual(['visitor 2']);
    expect(previews(await list(ada, 'assigned=unassigned'))).toEqual(['visitor 4']);
    expect(previews(await list(ada, 'assigned=anyone&status=complete'))).toEqual(['visitor 5']);
    expect((await list(ada, 'limit=50')).conversations).toHaveLength(5);
    expect((await ada.request('/api/conversations?assigned=someone')).status).toBe(400);
  });
});
