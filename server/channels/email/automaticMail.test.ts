// Automatic mail, end to end through both doors (raw webhook and Resend), with real bounces and
// auto-replies from python3-flufl.bounce's test corpus (server/testing/corpus/automail/): bounces mark
// the reply they return, auto-replies are muted lines, nothing of it makes a contact or gets answered.
// Also Resend's delivery events, sender-scoped dedupe, reply subjects and names from From headers.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationPage } from '../../../shared/protocol';
import { AgentSession, startTestParley, waitUntil, type TestParley } from '../../testing';
import { emailThroughFake, FakeResend, postResendEvent, postSignedResendEvent, type SentEmail } from '../../testing/fakeResend';
import { rawEmail, type RawEmail } from '../../testing/rawEmail';
import { INBOUND_SECRET_HEADER } from './webhooks';

const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
/** The Parley-sent Message-ID the corpus fixtures were rewritten to return. */
const FIXTURE_MESSAGE_ID = '<5f0c1e2d3a4b5c6d7e8f9a0b.parley@in.example.test>';

/** A corpus message, pointed at the email we really sent (its fixture line says what was rewritten). */
const corpus = (name: string, ourMessageId = FIXTURE_MESSAGE_ID) =>
  readFileSync(resolve(import.meta.dirname, '../../testing/corpus/automail', name), 'latin1').replaceAll(FIXTURE_MESSAGE_ID, ourMessageId);

describe('automatic mail', () => {
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
  const postRaw = (raw: string | Buffer) =>
    fetch(`${parley.url}/webhooks/email/raw`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', [INBOUND_SECRET_HEADER]: INBOUND_SECRET },
      body: raw,
    });
  const mail = (m: RawEmail) => postRaw(rawEmail(m)).then(async (r) => ({ status: r.status, body: (await r.json()) as { conversationId: number; duplicate?: boolean } }));

  /** A signed Resend webhook event of any type, as Resend delivers it. */
  const postEvent = (type: string, data: Record<string, unknown>) => postSignedResendEvent(parley.url, WEBHOOK_SECRET, type, data);

  /** Resend's record of a received email, built from a corpus message's headers and text. */
  function receiveThroughResend(emailId: string, raw: string, text: string) {
    const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
    const headers: Record<string, string> = {};
    for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0 && !line.slice(0, colon).includes(' ')) headers[line.slice(0, colon)] = line.slice(colon + 1).trim();
    }
    fake.received.set(emailId, {
      id: emailId,
      from: headers.From!,
      to: [headers.To ?? 'support@example.test'],
      subject: headers.Subject ?? '',
      text,
      html: null,
      message_id: headers['Message-Id'] ?? headers['Message-ID']!,
      headers,
    });
    return postResendEvent(parley.url, WEBHOOK_SECRET, emailId);
  }

  /** Sam emailed us, an agent answered by email: the conversation and the email that went out. */
  async function answeredByEmail(subject = 'Order 1182 arrived damaged'): Promise<{ id: number; sent: SentEmail }> {
    const { body } = await mail({ from: 'Sam Quill <sam@example.org>', subject, body: 'The box was crushed.' });
    const reply = await agent.request(`/api/conversations/${body.conversationId}/messages`, {
      method: 'POST',
      body: { body: 'Sorry! A new one is on its way.', channel: 'email' },
    });
    expect(reply.status).toBe(201);
    const sent = (await fake.waitForSent(1))[0]!;
    await waitUntil(() => detail(body.conversationId), (d) => d.messages.at(-1)?.deliveryState === 'sent');
    return { id: body.conversationId, sent };
  }

  const lastAgentMessage = (d: ConversationDetail) => d.messages.filter((m) => m.author === 'agent').at(-1)!;

  describe('a bounce of our reply marks it Bounced, with the reason, and creates nothing', () => {
    it('through the raw webhook: a delivery status notification', async () => {
      const { id, sent } = await answeredByEmail();
      const before = await list();
      const res = await postRaw(corpus('dsn-user-unknown.eml', sent.headers['Message-ID']));
      expect(res.status).toBe(200);
      const after = await detail(id);
      expect(lastAgentMessage(after)).toMatchObject({ deliveryState: 'bounced', deliveryError: 'Mailbox does not exist (550 5.1.1)' });
      expect(after.messages).toHaveLength(2);
      expect((await list()).conversations.map((c) => c.id)).toEqual(before.conversations.map((c) => c.id));
      const outbox = (await agent.request('/api/outbox').then((r) => r.json())) as { emails: { status: string; lastError: string }[] };
      expect(outbox.emails[0]).toMatchObject({ status: 'bounced', lastError: 'Mailbox does not exist (550 5.1.1)' });
    });

    it('through the raw webhook: a non-standard notice with the returned message attached', async () => {
      const { id, sent } = await answeredByEmail();
      expect((await postRaw(corpus('nonstandard-returned-message.eml', sent.headers['Message-ID']))).status).toBe(200);
      expect(lastAgentMessage(await detail(id))).toMatchObject({ deliveryState: 'bounced', deliveryError: 'Mailbox does not exist' });
      expect((await list()).conversations).toHaveLength(1);
    });

    it('through Resend: a notice that copies the returned headers into its text', async () => {
      const { id, sent } = await answeredByEmail();
      const raw = corpus('text-copy-bounce.eml', sent.headers['Message-ID']);
      const text = raw.slice(raw.search(/\r?\n\r?\n/)).trim();
      expect((await receiveThroughResend('rcv_bounce', raw, text)).status).toBe(200);
      expect(lastAgentMessage(await detail(id)).deliveryState).toBe('bounced');
      expect((await list()).conversations).toHaveLength(1);
    });

    it('through Resend: a delivery status notification whose report and returned message Resend lists as attachments', async () => {
      const { id, sent } = await answeredByEmail();
      const raw = corpus('dsn-user-unknown.eml', sent.headers['Message-ID']);
      // Resend's record of a notice: its text part, and every other part as an attachment to fetch.
      const { default: PostalMime } = await import('postal-mime');
      const parsed = await new PostalMime({ forceRfc822Attachments: true }).parse(raw);
      const parts = parsed.attachments.map((a, i) => ({
        id: `att_${i}`,
        filename: a.filename ?? `part-${i}`,
        content_type: a.mimeType,
        bytes: typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content),
      }));
      expect(parts.map((p) => p.content_type)).toContain('message/delivery-status');
      fake.receivedAttachments.set('rcv_dsn', parts);
      expect((await receiveThroughResend('rcv_dsn', raw, parsed.text ?? '')).status).toBe(200);
      expect(lastAgentMessage(await detail(id))).toMatchObject({ deliveryState: 'bounced', deliveryError: 'Mailbox does not exist (550 5.1.1)' });
      expect((await list()).conversations).toHaveLength(1);
    });

    it('a delay notice changes nothing, and a bounce of mail we never sent is dropped', async () => {
      const { id, sent } = await answeredByEmail();
      expect((await postRaw(corpus('dsn-delayed.eml', sent.headers['Message-ID']))).status).toBe(200);
      expect((await postRaw(corpus('dsn-unmatched.eml'))).status).toBe(200);
      expect(lastAgentMessage(await detail(id)).deliveryState).toBe('sent');
      expect((await list()).conversations).toHaveLength(1);
    });
  });

  describe('an auto-reply is a muted line that neither reopens the conversation nor counts as unread', () => {
    async function completedAndRead(): Promise<{ id: number; sent: SentEmail }> {
      const answered = await answeredByEmail();
      await agent.request(`/api/conversations/${answered.id}/read`, { method: 'POST' });
      await agent.request(`/api/conversations/${answered.id}/complete`, { method: 'POST' });
      return answered;
    }

    const expectMuted = async (id: number) => {
      const after = await detail(id);
      expect(after.messages.at(-1)).toMatchObject({ automatic: true, author: 'visitor' });
      expect(after.messages.at(-1)!.body).toContain('Gracias por contactar');
      expect(after.conversation).toMatchObject({ status: 'complete', unreadCount: 0 });
    };

    it('through the raw webhook', async () => {
      const { id, sent } = await completedAndRead();
      expect((await postRaw(Buffer.from(corpus('auto-reply.eml', sent.headers['Message-ID']), 'latin1'))).status).toBe(200);
      await expectMuted(id);
      // Nothing answers it: no email went out after the agent's one.
      await new Promise((r) => setTimeout(r, 100));
      expect(fake.sent).toHaveLength(1);
    });

    it('through Resend', async () => {
      const { id, sent } = await completedAndRead();
      const raw = corpus('auto-reply.eml', sent.headers['Message-ID']);
      expect((await receiveThroughResend('rcv_auto', raw, raw.slice(raw.search(/\r?\n\r?\n/)).trim())).status).toBe(200);
      await expectMuted(id);
    });

    it('one that answers none of our emails starts no conversation', async () => {
      expect((await postRaw(Buffer.from(corpus('auto-reply.eml', '<not-ours@example.org>'), 'latin1'))).status).toBe(200);
      expect((await list()).conversations).toHaveLength(0);
    });
  });

  it("Resend's delivered, bounced and complained events move the reply's delivery state forward, never back", async () => {
    const { id, sent } = await answeredByEmail();
    expect((await postEvent('email.delivered', { email_id: sent.id, to: ['sam@example.org'] })).status).toBe(200);
    expect(lastAgentMessage(await detail(id)).deliveryState).toBe('delivered');
    await postEvent('email.delivery_delayed', { email_id: sent.id });
    await postEvent('email.bounced', {
      email_id: sent.id,
      bounce: { message: "The recipient's mailbox does not exist.", subType: 'General', type: 'Permanent' },
    });
    expect(lastAgentMessage(await detail(id))).toMatchObject({
      deliveryState: 'bounced',
      deliveryError: "The recipient's mailbox does not exist. (Permanent, General)",
    });
    await postEvent('email.delivered', { email_id: sent.id });
    expect(lastAgentMessage(await detail(id)).deliveryState).toBe('bounced');
    await postEvent('email.complained', { email_id: sent.id });
    expect(lastAgentMessage(await detail(id)).deliveryState).toBe('complained');
    // Another app's email on the same Resend account: acknowledged, nothing changes.
    expect((await postEvent('email.bounced', { email_id: 'not-ours' })).status).toBe(200);
  });

  it("keeps another sender's mail that reuses a Message-ID, and still stores one person's redelivery once", async () => {
    const first = await mail({ from: 'sam@example.org', messageId: '<reused@lists.example>', body: 'First.' });
    const again = await mail({ from: 'sam@example.org', messageId: '<reused@lists.example>', body: 'First.' });
    expect(again.body).toMatchObject({ conversationId: first.body.conversationId, duplicate: true });
    const other = await mail({ from: 'noor@example.net', messageId: '<reused@lists.example>', body: 'Someone else.' });
    expect(other.body.duplicate).toBe(false);
    expect(other.body.conversationId).not.toBe(first.body.conversationId);
    expect((await detail(other.body.conversationId)).messages.at(-1)!.body).toContain('Someone else.');
  });

  it('answers an email-started conversation under "Re: <their subject>", never doubled, with threading headers', async () => {
    const { id, sent } = await answeredByEmail('Order 1182 arrived damaged');
    expect(sent.subject).toBe('Re: Order 1182 arrived damaged');
    expect(sent.headers['In-Reply-To']).toMatch(/^<.+>$/);
    await mail({ from: 'sam@example.org', subject: 'AW: Order 1182 arrived damaged', body: 'Thanks!', inReplyTo: sent.headers['Message-ID'] });
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'You are welcome.', channel: 'email' } });
    const second = (await fake.waitForSent(2))[1]!;
    expect(second.subject).toBe('AW: Order 1182 arrived damaged');
    expect(second.headers.References).toContain(sent.headers['Message-ID']);
  });

  it('names a contact known without a name from their From header', async () => {
    const { body } = await mail({ from: 'bo@example.org', body: 'Hello?' });
    expect((await detail(body.conversationId)).conversation.title).toBe('bo@example.org');
    await mail({ from: 'Bo Lindqvist <bo@example.org>', body: 'Me again.' });
    expect((await detail(body.conversationId)).conversation.title).toBe('Bo Lindqvist');
    await mail({ from: 'Somebody Else <bo@example.org>', body: 'A third time.' });
    expect((await detail(body.conversationId)).conversation.title).toBe('Bo Lindqvist');
  });
});
