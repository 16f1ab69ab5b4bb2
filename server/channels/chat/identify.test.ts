// Who a widget visitor is, against a real server: an email typed in the widget is a claim that links
// to nobody; only the site's signature (signed identify) or a reply from the mailbox makes it theirs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDetail, SearchResult } from '../../../shared/protocol';
import { defaultEmailConfig } from '../../config';
import { AgentSession, connectVisitor, startTestParley, waitUntil, type TestParley, type VisitorClient } from '../../testing';
import { receiveEmail } from '../../testing/rawEmail';
import { userHashOf } from './signedIdentity';

const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const IDENTITY_SECRET = 'identity-secret-for-tests-0123456789';

let parley: TestParley;
let agent: AgentSession;

async function start(identitySecret: string | null) {
  parley = await startTestParley({
    siteName: 'Acme',
    identitySecret,
    email: { ...defaultEmailConfig, inboundSecret: INBOUND_SECRET, inboundDomain: 'in.example.test', pollMs: 20 },
  });
  agent = await AgentSession.signIn(parley);
}
afterEach(() => parley.destroy());

const detail = (id: number) => agent.request(`/api/conversations/${id}`).then((r) => r.json() as Promise<ConversationDetail>);
const reply = (id: number, body: string, channel: 'chat' | 'email' = 'chat') =>
  agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body, channel } });

/** Carol is a real customer: she wrote by email before, so the inbox knows her name and address. */
async function carolWroteByEmail(): Promise<number> {
  const { status, body } = await receiveEmail(parley, INBOUND_SECRET, {
    from: 'Carol Jones <carol@example.com>',
    subject: 'My order',
    body: 'Where is order 1042?',
  });
  expect(status).toBe(200);
  return body.conversationId!;
}

/** A widget visitor who wrote a line and then said they are `identity.email`. */
async function visitorWhoSays(identity: { email: string; name?: string; userHash?: string }) {
  const { client } = await connectVisitor(parley);
  client.send({ type: 'send', clientId: 'visitor-line-1', body: 'I lost access to my account' });
  const { token } = await client.next('identity');
  const ack = await client.next('ack');
  client.send({ type: 'identify', ...identity });
  await client.next('identified');
  return { client, token, conversationId: ack.message.conversationId };
}

/** Frames a visitor's widget got that mention `text`. */
const framesMentioning = (client: VisitorClient, text: string) => client.frames.filter((f) => JSON.stringify(f).includes(text));

describe('an email typed in the widget is only a claim', () => {
  beforeEach(() => start(IDENTITY_SECRET));

  it('never hands the contact behind that address to the visitor who typed it', async () => {
    const carolsConversation = await carolWroteByEmail();
    const attacker = await visitorWhoSays({ email: 'carol@example.com' });

    // Carol writes a new email (not a reply): it joins her own conversation, not the attacker's.
    const { body: landed } = await receiveEmail(parley, INBOUND_SECRET, {
      from: 'Carol Jones <carol@example.com>',
      subject: 'Password reset',
      body: 'Please send me a reset code.',
    });
    expect(landed).toMatchObject({ conversationId: carolsConversation, threadedBy: 'contact' });
    // The agent answers Carol there, by email as for any email contact.
    expect((await reply(carolsConversation, 'Your reset code is 493817.', 'email')).status).toBe(201);

    // The attacker's widget got none of it, live or after a reload.
    await new Promise((r) => setTimeout(r, 200));
    expect(framesMentioning(attacker.client, 'reset code')).toEqual([]);
    attacker.client.close();
    const { client: reloaded, welcome } = await connectVisitor(parley, { token: attacker.token });
    expect(welcome.history.map((m) => m.body)).toEqual(['I lost access to my account']);
    expect(welcome.email).toBe('carol@example.com'); // their own typed address, nothing more
    reloaded.close();

    // Tags do not fill in Carol's name for the attacker.
    expect((await reply(attacker.conversationId, 'Hi {{contact.first_name | there}}!')).status).toBe(201);
    const thread = await detail(attacker.conversationId);
    expect(thread.messages.at(-1)?.body).toBe('Hi there!');

    // Agents see the address as unverified, with none of Carol's name or conversations.
    expect(thread.conversation).toMatchObject({ title: 'carol@example.com', email: 'carol@example.com', emailVerified: false });
    expect(thread.contact).toMatchObject({ name: null, emailVerified: false, conversationCount: 1, otherConversations: [] });
    expect((await detail(carolsConversation)).contact).toMatchObject({ name: 'Carol Jones', emailVerified: true, conversationCount: 1 });
  });

  it('fills tags only with the name the visitor gave, and search still finds them by the address', async () => {
    await carolWroteByEmail();
    const visitor = await visitorWhoSays({ email: 'carol@example.com', name: 'Mallory' });
    await reply(visitor.conversationId, 'Hi {{contact.first_name}}');
    expect((await visitor.client.next('message')).message.body).toBe('Hi Mallory');

    const found = (await (await agent.request('/api/search?q=carol%40example')).json()) as { results: SearchResult[] };
    expect(found.results.map((r) => r.conversation.id)).toContain(visitor.conversationId);
    expect(found.results.find((r) => r.conversation.id === visitor.conversationId)?.conversation.emailVerified).toBe(false);
  });
});

describe('signed identify', () => {
  it('joins the visitor to the contact when the site signed the address', async () => {
    await start(IDENTITY_SECRET);
    const carolsConversation = await carolWroteByEmail();
    const carol = await visitorWhoSays({ email: 'Carol@Example.com', userHash: userHashOf(IDENTITY_SECRET, 'carol@example.com') });

    const thread = await detail(carol.conversationId);
    expect(thread.conversation).toMatchObject({ title: 'Carol Jones', emailVerified: true });
    expect(thread.contact.conversationCount).toBe(2);
    expect(thread.contact.otherConversations.map((o) => o.id)).toEqual([carolsConversation]);
    await reply(carol.conversationId, 'Hi {{contact.first_name}}');
    expect((await carol.client.next('message')).message.body).toBe('Hi Carol');
  });

  it('keeps the address unverified when the hash is for another address, or signed with another secret', async () => {
    await start(IDENTITY_SECRET);
    await carolWroteByEmail();
    const forAnother = await visitorWhoSays({ email: 'carol@example.com', userHash: userHashOf(IDENTITY_SECRET, 'mallory@example.com') });
    const otherSecret = await visitorWhoSays({ email: 'carol@example.com', userHash: userHashOf('not-the-site-secret-012345', 'carol@example.com') });
    for (const { conversationId } of [forAnother, otherSecret]) {
      expect((await detail(conversationId)).contact).toMatchObject({ emailVerified: false, conversationCount: 1 });
    }
  });

  it('verifies nothing on a server with no identity secret', async () => {
    await start(null);
    await carolWroteByEmail();
    const visitor = await visitorWhoSays({ email: 'carol@example.com', userHash: userHashOf(IDENTITY_SECRET, 'carol@example.com') });
    await waitUntil(() => detail(visitor.conversationId), (d) => d.conversation.email === 'carol@example.com');
    expect((await detail(visitor.conversationId)).contact).toMatchObject({ emailVerified: false, conversationCount: 1 });
  });
});
