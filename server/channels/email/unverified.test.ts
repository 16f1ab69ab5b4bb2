// Mail to an address a visitor only typed, through the real `resend` SDK and a fake Resend: it says
// where the address came from, at most PARLEY_UNVERIFIED_EMAILS_PER_DAY go out a day, and a reply
// from that mailbox (quoting our email) is what verifies it.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationDetail } from '../../../shared/protocol';
import { defaultEmailConfig, type ParleyConfig } from '../../config';
import { FakeResend, type SentEmail } from '../../testing/fakeResend';
import { receiveEmail } from '../../testing/rawEmail';
import { AgentSession, connectVisitor, startTestParley, waitUntil, type TestParley } from '../../testing';
import { userHashOf } from '../chat/signedIdentity';

const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const IDENTITY_SECRET = 'identity-secret-for-tests-0123456789';
const NOTICE = /^This address was typed into the chat on the Acme & <Co> website\. If that wasn't you, you can ignore this email/;

let fake: FakeResend;
let parley: TestParley;
let agent: AgentSession;

async function start(over: Partial<ParleyConfig> = {}) {
  fake = await FakeResend.start();
  parley = await startTestParley({
    siteName: 'Acme & <Co>',
    identitySecret: IDENTITY_SECRET,
    email: {
      ...defaultEmailConfig,
      pollMs: 20,
      retryBaseMs: 20,
      followupDelayMs: 100,
      resendApiKey: 're_test',
      resendBaseUrl: fake.url,
      inboundSecret: INBOUND_SECRET,
      inboundDomain: 'in.example.test',
    },
    ...over,
  });
  agent = await AgentSession.signIn(parley);
}
afterEach(async () => {
  await parley.destroy();
  await fake.close();
});

const detail = (id: number) => agent.request(`/api/conversations/${id}`).then((r) => r.json() as Promise<ConversationDetail>);
const emailReply = (id: number, body: string) =>
  agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body, channel: 'email' } });

/** A visitor who wrote a line and gave an address (signed or not); their widget stays open. */
async function visitorWhoGave(identity: { email: string; userHash?: string }, clientId = 'visitor-line-1') {
  const { client } = await connectVisitor(parley);
  client.send({ type: 'send', clientId, body: 'Can you email me the quote?' });
  const ack = await client.next('ack');
  client.send({ type: 'identify', ...identity });
  await client.next('identified');
  return { client, conversationId: ack.message.conversationId };
}

/** Vera's mail client answering `sent`: to its Reply-To, quoting its Message-ID. */
const answer = (sent: SentEmail, from = 'Vera Lind <vera@example.com>', inReplyTo: string | undefined = sent.headers['Message-ID']) =>
  receiveEmail(parley, INBOUND_SECRET, { from, to: String(sent.reply_to), subject: `Re: ${sent.subject}`, body: 'Yes, that was me.', inReplyTo });

describe('email to an unverified address', () => {
  it('starts with one line saying where the address came from, in both parts, escaped; verified mail has none', async () => {
    await start();
    const typed = await visitorWhoGave({ email: 'vera@example.com' });
    expect((await emailReply(typed.conversationId, 'Here is your quote.')).status).toBe(201);
    const [toTyped] = await fake.waitForSent(1);
    expect(toTyped!.to).toEqual(['vera@example.com']);
    expect(toTyped!.text).toMatch(NOTICE);
    expect(toTyped!.html).toContain('on the Acme &amp; &lt;Co&gt; website. If that wasn&#39;t you');
    expect(toTyped!.html).not.toContain('<Co>');

    const signed = await visitorWhoGave({ email: 'sam@example.com', userHash: userHashOf(IDENTITY_SECRET, 'sam@example.com') }, 'sam-line-1');
    await emailReply(signed.conversationId, 'Here is yours.');
    const [, toSigned] = await fake.waitForSent(2);
    expect(toSigned!.to).toEqual(['sam@example.com']);
    expect(toSigned!.text).not.toContain('typed into the chat');
    expect(toSigned!.html).not.toContain('typed into the chat');
  });

  it('sends at most 5 a day to one such address; the 6th reply is refused with the reason, and nothing is stored', async () => {
    await start();
    const first = await visitorWhoGave({ email: 'vera@example.com' });
    for (let i = 1; i <= 4; i++) expect((await emailReply(first.conversationId, `Reply ${i}`)).status).toBe(201);
    // Another visitor typing the same address shares its allowance.
    const second = await visitorWhoGave({ email: 'Vera@Example.com' }, 'second-visitor-1');
    expect((await emailReply(second.conversationId, 'Reply 5')).status).toBe(201);

    const refused = await emailReply(first.conversationId, 'Reply 6');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toBe(
      'Not sent: 5 emails already went to this unverified address in the last 24 hours. Reply by chat, or wait until the visitor verifies it.',
    );
    expect((await detail(first.conversationId)).messages.map((m) => m.body)).not.toContain('Reply 6');
    // By chat the agent can still answer.
    expect((await agent.request(`/api/conversations/${first.conversationId}/messages`, { method: 'POST', body: { body: 'By chat', channel: 'chat' } })).status).toBe(201);
    await fake.waitForSent(5);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.sent).toHaveLength(5);
  });

  it('with the allowance at 0, emails no typed address at all, follow-ups included', async () => {
    await start({ unverifiedEmailsPerDay: 0 });
    const { client, conversationId } = await visitorWhoGave({ email: 'vera@example.com' });
    const refused = await emailReply(conversationId, 'Hello');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/sends no email to addresses visitors typed/);
    client.close();
    await waitUntil(() => detail(conversationId), (d) => !d.conversation.online);
    await agent.request(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { body: 'Unseen chat reply', channel: 'chat' } });
    await new Promise((r) => setTimeout(r, 500)); // five follow-up delays
    expect(fake.sent).toHaveLength(0);
  });
});

describe('proof of mailbox', () => {
  it('verifies a typed address when its mailbox answers our email, and joins the visitor to the contact', async () => {
    await start();
    const { client, conversationId } = await visitorWhoGave({ email: 'vera@example.com' });
    await emailReply(conversationId, 'Here is your quote.');
    const [sent] = await fake.waitForSent(1);

    const { status, body } = await answer(sent!);
    expect(status).toBe(200);
    expect(body.conversationId).toBe(conversationId);
    const thread = await detail(conversationId);
    expect(thread.conversation).toMatchObject({ email: 'vera@example.com', emailVerified: true, title: 'Vera Lind' });
    expect(thread.contact).toMatchObject({ emailVerified: true });
    // Her answer is hers: it reaches her open widget too.
    await client.next('message', (f) => f.message.body === 'Yes, that was me.');

    // From now on her new mail (not a reply) joins this conversation, and mail to her carries no notice.
    const later = await receiveEmail(parley, INBOUND_SECRET, { from: 'vera@example.com', subject: 'One more thing', body: 'Blue, please.' });
    expect(later.body).toMatchObject({ conversationId, threadedBy: 'contact' });
    await emailReply(conversationId, 'Blue it is.');
    const [, second] = await fake.waitForSent(2);
    expect(second!.text).not.toContain('typed into the chat');
  });

  it('is not proven by mail that only knows the reply address, whatever its From says', async () => {
    await start();
    // The visitor first gives their own address, gets an email (and so the conversation's reply
    // address), then types someone else's and forges mail From it.
    const { client, conversationId } = await visitorWhoGave({ email: 'mallory@example.net' });
    await emailReply(conversationId, 'Here is your quote.');
    const [toMallory] = await fake.waitForSent(1);
    client.send({ type: 'identify', email: 'vera@example.com' });
    await client.next('identified', (f) => f.email === 'vera@example.com');

    const forged = await answer(toMallory!, 'Vera Lind <vera@example.com>');
    expect(forged.body.conversationId).toBe(conversationId);
    const thread = await detail(conversationId);
    expect(thread.conversation).toMatchObject({ email: 'vera@example.com', emailVerified: false });
    // Shown to agents as mail from another address, never in the widget.
    expect(thread.messages.at(-1)).toMatchObject({ body: 'Yes, that was me.', otherSender: 'Vera Lind <vera@example.com>' });
    await new Promise((r) => setTimeout(r, 100));
    expect(client.frames.some((f) => f.type === 'message' && f.message.body === 'Yes, that was me.')).toBe(false);

    // New mail from the address never joins the visitor's conversation either.
    const fresh = await receiveEmail(parley, INBOUND_SECRET, { from: 'vera@example.com', subject: 'Hi', body: 'A new question.' });
    expect(fresh.body.conversationId).not.toBe(conversationId);
  });
});
