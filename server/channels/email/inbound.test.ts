// Inbound email, end to end: real MIME fixtures (a Gmail reply with quoted history, an Outlook
// reply, mail from a stranger) posted to both webhooks of a real server, threaded into the right
// conversation; duplicates stored once; every kind of bad input refused with nothing changed.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationPage } from '../../../shared/protocol';
import { emailThroughFake, FakeResend, type SentEmail, postResendEvent as postSignedResendEvent } from '../../testing/fakeResend';
import { AgentSession, connectVisitor, startTestParley, waitUntil, type TestParley, type VisitorClient } from '../../testing';
import { INBOUND_SECRET_HEADER } from './webhooks';

const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

function fixture(name: string, fill: Record<string, string> = {}): string {
  let text = readFileSync(resolve(import.meta.dirname, 'inbound/fixtures', name), 'utf8');
  for (const [key, value] of Object.entries(fill)) text = text.replaceAll(`{{${key}}}`, value);
  return text;
}

describe('inbound email', () => {
  let fake: FakeResend;
  let parley: TestParley;
  let agent: AgentSession;

  beforeEach(async () => {
    fake = await FakeResend.start();
    parley = await startTestParley({
      siteName: 'Acme',
      email: emailThroughFake(fake, { inboundSecret: INBOUND_SECRET, webhookSecret: WEBHOOK_SECRET }),
    });
    agent = await AgentSession.signIn(parley);
  });
  afterEach(async () => {
    await parley.destroy();
    await fake.close();
  });

  const detail = (id: number) => agent.request(`/api/conversations/${id}`).then((r) => r.json() as Promise<ConversationDetail>);
  const list = () => agent.request('/api/conversations').then((r) => r.json() as Promise<ConversationPage>);

  const postRaw = (raw: string, secret: string | null = INBOUND_SECRET) =>
    fetch(`${parley.url}/webhooks/email/raw`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', ...(secret !== null && { [INBOUND_SECRET_HEADER]: secret }) },
      body: raw,
    });

  const postResendEvent = (emailId: string, secret = WEBHOOK_SECRET) => postSignedResendEvent(parley.url, secret, emailId);

  /** Vera chatted, left her email, and got one email reply: her conversation and that email. */
  async function conversationWithEmail(
    opts: { stayOnline?: boolean } = {},
  ): Promise<{ id: number; email: SentEmail; visitor: VisitorClient; token: string }> {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'vera-msg-1', body: 'Is it in stock?' });
    const { token } = await client.next('identity');
    const ack = await client.next('ack');
    client.send({ type: 'identify', email: 'vera@example.com', name: 'Vera Lind' });
    const id = ack.message.conversationId;
    await waitUntil(() => detail(id), (d) => d.conversation.email === 'vera@example.com');
    if (!opts.stayOnline) {
      client.close();
      await waitUntil(() => detail(id), (d) => !d.conversation.online);
    }
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Yes, it ships today.', channel: 'email' } });
    const [email] = await fake.waitForSent(1);
    return { id, email: email!, visitor: client, token };
  }

  const replyFields = (email: SentEmail) => ({
    TO: String(email.reply_to),
    IN_REPLY_TO: email.headers['Message-ID']!,
    REFERENCES: email.headers['Message-ID']!,
  });

  it('threads a Gmail reply by its reply address, strips the quoted history and reopens the conversation', async () => {
    const { id, email } = await conversationWithEmail();
    await agent.request(`/api/conversations/${id}/complete`, { method: 'POST' });
    const socket = await agent.openSocket();

    const res = await postRaw(fixture('gmail-reply.eml', replyFields(email)));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ conversationId: id, duplicate: false, threadedBy: 'token' });

    const live = await socket.next('message', (f) => f.message.channel === 'email' && f.message.author === 'visitor');
    expect(live.message.body).toBe('Perfect, I’ll take two <b>now</b>.');
    expect(live.conversation.status).toBe('open');
    const thread = await detail(id);
    expect(thread.messages.map((m) => m.channel)).toEqual(['chat', 'email', 'email']);
    expect(thread.messages.at(-1)?.otherSender).toBeNull();
    socket.close();
  });

  it('threads an Outlook reply fetched through Resend by In-Reply-To', async () => {
    const { id, email } = await conversationWithEmail();
    const raw = fixture('outlook-reply.eml', replyFields(email));
    fake.received.set('rcv_1', {
      id: 'rcv_1',
      from: 'Vera Lind <vera@example.com>',
      to: ['support@example.test'],
      subject: 'RE: Your conversation with Acme',
      text: raw.split('quoted-printable\r\n\r\n')[1]!.split('\r\n--_000_')[0]!,
      html: null,
      message_id: '<AM0PR04MB1234ABCD5678@AM0PR04MB1234.eurprd04.prod.outlook.com>',
      headers: { 'in-reply-to': email.headers['Message-ID']!, references: email.headers['Message-ID']! },
    });
    const res = await postResendEvent('rcv_1');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ conversationId: id, threadedBy: 'header' });
    expect((await detail(id)).messages.at(-1)?.body).toBe('Great, please send the invoice to accounts.');

    // The same Outlook mail posted raw (a second provider, or a retry) is the same message: stored once.
    const again = await postRaw(raw);
    expect(await again.json()).toMatchObject({ conversationId: id, duplicate: true });
    expect((await detail(id)).messages).toHaveLength(3);
  });

  it('stores a duplicate delivery of the same Message-ID once', async () => {
    const { id, email } = await conversationWithEmail();
    const raw = fixture('gmail-reply.eml', replyFields(email));
    expect((await (await postRaw(raw)).json()) as object).toMatchObject({ duplicate: false });
    expect((await (await postRaw(raw)).json()) as object).toMatchObject({ duplicate: true });
    expect((await detail(id)).messages.filter((m) => m.channel === 'email' && m.author === 'visitor')).toHaveLength(1);
  });

  it('shows a reply in the widget while the visitor is online, but never one from another address', async () => {
    const { id, email, visitor, token } = await conversationWithEmail({ stayOnline: true });
    await postRaw(fixture('gmail-reply.eml', replyFields(email)));
    const shown = await visitor.next('message', (f) => f.message.channel === 'email' && f.message.author === 'visitor');
    expect(shown.message.body).toContain('take two');

    const forwarded = fixture('gmail-reply.eml', replyFields(email))
      .replace('From: Vera Lind <vera@example.com>', 'From: Her Colleague <colleague@example.net>')
      .replace('<CAF=gmail-reply-8f3a1c@mail.gmail.com>', '<other-address-1@mail.gmail.com>');
    const res = await postRaw(forwarded);
    expect(await res.json()).toMatchObject({ conversationId: id, duplicate: false });
    const thread = await detail(id);
    expect(thread.messages.at(-1)?.otherSender).toBe('Her Colleague <colleague@example.net>');
    // The widget's history (a reload, a second tab) leaves it out too.
    const { client: reloaded, welcome } = await connectVisitor(parley, { token });
    expect(welcome.history.map((m) => m.body)).toEqual(['Is it in stock?', 'Yes, it ships today.', 'Perfect, I’ll take two <b>now</b>.']);
    reloaded.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(visitor.frames.filter((f) => f.type === 'message' && f.message.otherSender)).toHaveLength(0);
    visitor.close();
  });

  it('gives mail from an unknown address a new contact and conversation; more mail joins it', async () => {
    const before = (await list()).conversations.length;
    const res = await postRaw(fixture('unknown-sender.eml'));
    expect(res.status).toBe(200);
    const { conversationId } = (await res.json()) as { conversationId: number };
    const first = await detail(conversationId);
    expect(first.conversation).toMatchObject({ kind: 'email', title: 'Sam Quill', email: 'sam.quill@example.org' });
    expect(first.messages[0]!.body).toBe('Question about bulk orders\n\nHello, do you offer discounts above 50 units? <script>alert(1)</script>');
    expect((await list()).conversations).toHaveLength(before + 1);

    // New mail (not a reply) from the same person joins their open conversation, and the contact
    // panel's "last seen" moves to it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const secondPostedAt = Date.now();
    const second = fixture('unknown-sender.eml')
      .replace('<20261125141244.4F2A1@mx.example.org>', '<second-mail@mx.example.org>')
      .replace('sam.quill', 'SAM.QUILL');
    expect(await (await postRaw(second)).json()).toMatchObject({ conversationId, threadedBy: 'contact' });
    expect((await detail(conversationId)).contact.lastSeen).toBeGreaterThanOrEqual(secondPostedAt);
    expect(first.contact.lastSeen).toBeLessThan(secondPostedAt);

    // Once that conversation is complete, the next mail starts a new one for the same contact.
    await agent.request(`/api/conversations/${conversationId}/complete`, { method: 'POST' });
    const third = fixture('unknown-sender.eml').replace('<20261125141244.4F2A1@mx.example.org>', '<third-mail@mx.example.org>');
    const next = (await (await postRaw(third)).json()) as { conversationId: number };
    expect(next.conversationId).not.toBe(conversationId);
    const panel = (await detail(next.conversationId)).contact;
    expect(panel.conversationCount).toBe(2);

    // Replying by email to this email-only conversation works like any other.
    const reply = await agent.request(`/api/conversations/${next.conversationId}/messages`, { method: 'POST', body: { body: 'Yes: 10% off.' } });
    expect(reply.status).toBe(201);
    const [sent] = await fake.waitForSent(1);
    expect(sent!.to).toEqual(['sam.quill@example.org']);
  });

  it('keeps an email longer than a message, shortened with a visible marker', async () => {
    const long = fixture('unknown-sender.eml').replace('Hello, do you offer', `${'word '.repeat(1200)}Hello, do you offer`);
    const { messageId, conversationId } = (await (await postRaw(long)).json()) as { messageId: number; conversationId: number };
    const body = (await detail(conversationId)).messages.find((m) => m.id === messageId)!.body;
    expect(body).toHaveLength(4000);
    expect(body).toMatch(/\(shortened; the whole email is kept with the conversation\)$/);
  });

  describe('bad input is refused and changes nothing', () => {
    async function expectNothingChanged(send: () => Promise<Response>, status: number, error: RegExp) {
      const before = await list();
      const res = await send();
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
      const after = await list();
      expect(after.conversations.map((c) => [c.id, c.lastMessageAt])).toEqual(before.conversations.map((c) => [c.id, c.lastMessageAt]));
    }

    it('a missing or wrong shared secret', async () => {
      await expectNothingChanged(() => postRaw(fixture('unknown-sender.eml'), null), 401, /X-Parley-Inbound-Secret/);
      await expectNothingChanged(() => postRaw(fixture('unknown-sender.eml'), 'wrong-secret'), 401, /X-Parley-Inbound-Secret/);
    });

    it('a malformed MIME message', async () => {
      await expectNothingChanged(() => postRaw('this is not an email at all'), 400, /From|headers|MIME/);
      await expectNothingChanged(() => postRaw(''), 400, /Empty body/);
    });

    it('a body over 10 MB', async () => {
      const huge = fixture('unknown-sender.eml') + 'x'.repeat(10 * 1024 * 1024 + 1);
      await expectNothingChanged(() => postRaw(huge), 413, /larger than 10 MB/);
    });

    it('an unknown reply token', async () => {
      const { email } = await conversationWithEmail();
      const forged = fixture('gmail-reply.eml', {
        TO: `reply+${randomBytes(16).toString('hex')}@in.example.test`,
        IN_REPLY_TO: '<never-sent@example.test>',
        REFERENCES: '<never-sent@example.test>',
      });
      expect(email).toBeTruthy();
      await expectNothingChanged(() => postRaw(forged), 404, /reply address/);
    });

    it('a Resend event with a bad signature', async () => {
      fake.received.set('rcv_2', {
        id: 'rcv_2',
        from: 'x@example.com',
        to: ['support@example.test'],
        subject: 'hi',
        text: 'hi',
        html: null,
        message_id: '<x@example.com>',
        headers: {},
      });
      const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
      await expectNothingChanged(() => postResendEvent('rcv_2', otherSecret), 401, /signature/);
    });
  });
});
