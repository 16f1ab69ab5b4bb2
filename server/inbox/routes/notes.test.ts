// Private notes over the real API: stored and shown to agents live, with their mentions, and never
// anywhere a visitor or a channel could see them (widget history and frames, email, search).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord, ConversationDetail, Note, OutboxPage, SearchResult } from '../../../shared/protocol';
import { defaultEmailConfig } from '../../config';
import { AgentSession, connectVisitor, startTestParley, waitUntil, type TestParley } from '../../testing';

let parley: TestParley;
let ada: AgentSession;
let graceId: number;

beforeEach(async () => {
  parley = await startTestParley({ email: { ...defaultEmailConfig, pollMs: 20, inboundDomain: 'in.example.test' } });
  ada = await AgentSession.signIn(parley);
  const created = await ada.request('/api/agents', {
    method: 'POST',
    body: { email: 'grace@example.com', name: 'Grace Hopper', password: 'long enough', role: 'agent' },
  });
  graceId = ((await created.json()) as { agent: AgentRecord }).agent.id;
});
afterEach(async () => {
  await parley.destroy();
});

const addNote = (id: number, body: unknown) => ada.request(`/api/conversations/${id}/notes`, { method: 'POST', body: { body } });
const detail = async (id: number) => (await (await ada.request(`/api/conversations/${id}`)).json()) as ConversationDetail;

describe('private notes', () => {
  it('are stored with their author and mentions, in the conversation and live for every agent', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'visitor-note-1', body: 'I want a refund' });
    const { message } = await client.next('ack');
    const grace = await AgentSession.signIn(parley, { email: 'grace@example.com', password: 'long enough', name: 'Grace Hopper' });
    const graceSocket = await grace.openSocket();

    const res = await addNote(message.conversationId, '  @grace can you check the order?  ');
    expect(res.status).toBe(201);
    const { note } = (await res.json()) as { note: Note };
    expect(note).toMatchObject({ body: '@grace can you check the order?', agentName: 'Ada', mentions: [graceId] });
    expect((await graceSocket.next('note')).note).toEqual(note);
    expect((await detail(message.conversationId)).notes).toEqual([note]);
    graceSocket.close();
    client.close();
  });

  it('refuses an empty or overlong note, and an unknown conversation', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'visitor-note-2', body: 'hi' });
    const { message } = await client.next('ack');
    const empty = await addNote(message.conversationId, '   ');
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: 'Note is empty' });
    expect((await addNote(message.conversationId, 'x'.repeat(4001))).status).toBe(400);
    expect((await addNote(99999, 'hello')).status).toBe(404);
    expect((await detail(message.conversationId)).notes).toEqual([]);
    client.close();
  });

  it('never reach the visitor, an email, the list preview or search', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'visitor-note-3', body: 'Can I pay later?' });
    const { token } = await client.next('identity');
    const { message } = await client.next('ack');
    const id = message.conversationId;
    client.send({ type: 'identify', email: 'vera@example.com' });
    await client.next('identified');

    await addNote(id, 'Zanzibar: she was rude last time');
    await ada.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Yes you can', channel: 'chat' } });
    const transcript = await ada.request(`/api/conversations/${id}/transcript`, { method: 'POST', body: {} });
    expect(transcript.status).toBe(201);

    // The open widget heard the reply, not the note; a reloaded widget's history has no note either.
    await client.next('message', (f) => f.message.body === 'Yes you can');
    expect(JSON.stringify(client.frames)).not.toContain('Zanzibar');
    const reloaded = await connectVisitor(parley, { token });
    expect(reloaded.welcome.history.map((m) => m.body)).toEqual(['Can I pay later?', 'Yes you can', expect.any(String)]);
    expect(JSON.stringify(reloaded.welcome)).not.toContain('Zanzibar');

    const outbox = await waitUntil(
      async () => (await (await ada.request('/api/outbox')).json()) as OutboxPage,
      (page) => page.emails.length > 0,
    );
    expect(outbox.emails[0]!.text).toContain('Can I pay later?');
    expect(JSON.stringify(outbox)).not.toContain('Zanzibar');

    expect((await detail(id)).conversation.lastMessagePreview).not.toContain('Zanzibar');
    const search = (await (await ada.request('/api/search?q=Zanzibar')).json()) as { results: SearchResult[] };
    expect(search.results).toEqual([]);
    reloaded.client.close();
    client.close();
  });
});
