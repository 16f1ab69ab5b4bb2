// Agent replies by email through the real `resend` SDK, pointed at a fake Resend server: what the
// visitor receives, retries, a restart between queue and send, the local outbox, follow-ups.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationDetail, OutboxPage } from '../../../shared/protocol';
import { defaultEmailConfig, type EmailConfig } from '../../config';
import { FakeResend } from '../../testing/fakeResend';
import { AgentSession, connectVisitor, startTestParley, waitUntil, type TestParley } from '../../testing';

const fastEmail = (over: Partial<EmailConfig> = {}): EmailConfig => ({
  ...defaultEmailConfig,
  pollMs: 20,
  retryBaseMs: 20,
  inboundDomain: 'in.example.test',
  from: 'Acme Support <support@example.test>',
  ...over,
});

/** A visitor who wrote, left their email and closed the tab; returns their conversation id. */
async function visitorWhoLeft(parley: TestParley, agent: AgentSession, email = 'Vera@Example.com'): Promise<number> {
  const { client } = await connectVisitor(parley);
  client.send({ type: 'send', clientId: 'visitor-msg-1', body: 'Is <b>this</b> & that in stock?' });
  const ack = await client.next('ack');
  client.send({ type: 'identify', email, name: 'Vera' });
  await waitUntil(
    () => agent.request(`/api/conversations/${ack.message.conversationId}`).then((r) => r.json() as Promise<ConversationDetail>),
    (d) => d.conversation.email === email.toLowerCase(),
  );
  client.close();
  await client.closed;
  await waitUntil(
    () => agent.request(`/api/conversations/${ack.message.conversationId}`).then((r) => r.json() as Promise<ConversationDetail>),
    (d) => !d.conversation.online,
  );
  return ack.message.conversationId;
}

const thread = (agent: AgentSession, id: number) =>
  agent.request(`/api/conversations/${id}`).then((r) => r.json() as Promise<ConversationDetail>);

describe('replying by email through Resend', () => {
  let fake: FakeResend;
  let parley: TestParley;
  let agent: AgentSession;

  beforeEach(async () => {
    fake = await FakeResend.start();
    parley = await startTestParley({ siteName: 'Acme', email: fastEmail({ resendApiKey: 're_test', resendBaseUrl: fake.url }) });
    agent = await AgentSession.signIn(parley);
  });
  afterEach(async () => {
    await parley.destroy();
    await fake.close();
  });

  it('sends one email with the reply on top, the escaped thread below, and threading headers', async () => {
    const id = await visitorWhoLeft(parley, agent);
    const socket = await agent.openSocket();
    // No channel given: the visitor is offline and has an email, so the reply goes by email.
    const res = await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Yes, {{contact.name}}! Ships <today>.' } });
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as { message: ChatMessage };
    expect(message.channel).toBe('email');
    expect(message.deliveryState).toBe('queued');

    const [email] = await fake.waitForSent(1);
    expect(email!.to).toEqual(['vera@example.com']);
    expect(email!.from).toBe('Acme Support <support@example.test>');
    expect(email!.subject).toBe('Your conversation with Acme');
    expect(email!.reply_to).toMatch(/^reply\+[0-9a-f]{32}@in\.example\.test$/);
    expect(email!.headers['Message-ID']).toMatch(/^<[0-9a-f]+\.parley@in\.example\.test>$/);
    expect(email!.text.indexOf('Yes, Vera! Ships <today>.')).toBeLessThan(email!.text.indexOf('Is <b>this</b> & that in stock?'));
    expect(email!.html).toContain('Yes, Vera! Ships &lt;today&gt;.');
    expect(email!.html).toContain('Is &lt;b&gt;this&lt;/b&gt; &amp; that in stock?');
    expect(email!.html).not.toContain('<b>this</b>');

    const updated = await socket.next('messageUpdated', (f) => f.message.id === message.id);
    expect(updated.message.deliveryState).toBe('sent');
    expect((await thread(agent, id)).messages.find((m) => m.id === message.id)?.deliveryState).toBe('sent');

    // A second reply quotes the first email, so mail clients thread them together.
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'One more thing.', channel: 'email' } });
    const second = (await fake.waitForSent(2))[1]!;
    expect(second.headers['In-Reply-To']).toBe(email!.headers['Message-ID']);
    expect(second.headers.References).toContain(email!.headers['Message-ID']);
    expect(second.reply_to).toBe(email!.reply_to);
    socket.close();
  });

  it('retries a 500 from Resend until it succeeds, and the email is sent exactly once', async () => {
    const id = await visitorWhoLeft(parley, agent);
    fake.failNext(2, 500);
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Retry me', channel: 'email' } });
    await fake.waitForSent(1);
    expect(fake.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    // Every attempt carried the same idempotency key.
    expect(new Set(fake.attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.sent).toHaveLength(1);
  });

  it('marks the message failed with the reason when Resend refuses it for good', async () => {
    const id = await visitorWhoLeft(parley, agent);
    fake.failNext(1, 422, 'The to address is invalid');
    const res = await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Hello', channel: 'email' } });
    const { message } = (await res.json()) as { message: ChatMessage };
    const failed = await waitUntil(
      () => thread(agent, id),
      (d) => d.messages.find((m) => m.id === message.id)?.deliveryState === 'failed',
    );
    expect(failed.messages.find((m) => m.id === message.id)?.deliveryError).toContain('The to address is invalid');
    expect(fake.sent).toHaveLength(0);
  });

  it('refuses an email reply when no address is known, and stores nothing', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'anon-msg-1', body: 'hi' });
    const ack = await client.next('ack');
    const res = await agent.request(`/api/conversations/${ack.message.conversationId}/messages`, {
      method: 'POST',
      body: { body: 'By email?', channel: 'email' },
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toMatch(/No email address/);
    expect((await thread(agent, ack.message.conversationId)).messages).toHaveLength(1);
    client.close();
  });

  it('"Send chat thread" emails the transcript in one call', async () => {
    const id = await visitorWhoLeft(parley, agent);
    const res = await agent.request(`/api/conversations/${id}/transcript`, { method: 'POST', body: {} });
    expect(res.status).toBe(201);
    const [email] = await fake.waitForSent(1);
    expect(email!.text).toContain('Here is a copy of our chat');
    expect(email!.text).toContain('Is <b>this</b> & that in stock?');
  });
});

describe('a restart between queueing and sending', () => {
  it('still sends the email, once', async () => {
    const fake = await FakeResend.start();
    const config = fastEmail({ resendApiKey: 're_test', resendBaseUrl: fake.url, retryBaseMs: 60_000 });
    const first = await startTestParley({ email: config });
    const agent = await AgentSession.signIn(first);
    const id = await visitorWhoLeft(first, agent);
    fake.failNext(1, 503);
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Survive a restart', channel: 'email' } });
    await waitUntil(() => fake.attempts.length, (n) => n === 1);
    await first.close(); // its retry is a minute away: the email is queued on disk, unsent

    // A new process on the same database, a few minutes later by its clock.
    const second = await startTestParley({ email: config, now: () => Date.now() + 5 * 60_000 }, first.dir);
    try {
      const [email] = await fake.waitForSent(1);
      expect(email!.text).toContain('Survive a restart');
      const again = await AgentSession.signIn(second);
      await waitUntil(
        () => thread(again, id),
        (d) => d.messages.some((m) => m.body === 'Survive a restart' && m.deliveryState === 'sent'),
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(fake.sent).toHaveLength(1);
      expect(fake.attempts).toHaveLength(2);
    } finally {
      await second.destroy();
      await fake.close();
    }
  });
});

describe('without RESEND_API_KEY (the local outbox)', () => {
  let parley: TestParley;
  let agent: AgentSession;
  beforeEach(async () => {
    parley = await startTestParley({ email: fastEmail() });
    agent = await AgentSession.signIn(parley);
  });
  afterEach(() => parley.destroy());

  it('keeps the email in the outbox that Settings shows, and marks the reply sent', async () => {
    const id = await visitorWhoLeft(parley, agent);
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Kept locally', channel: 'email' } });
    const page = await waitUntil(
      () => agent.request('/api/outbox').then((r) => r.json() as Promise<OutboxPage>),
      (p) => p.emails[0]?.status === 'sent',
    );
    expect(page.transport).toBe('local');
    expect(page.emails[0]).toMatchObject({ to: 'vera@example.com', kind: 'reply', transport: 'local', conversationId: id });
    expect(page.emails[0]!.text).toContain('Kept locally');
    const session = (await (await agent.request('/api/session')).json()) as { channels: { email: boolean } };
    expect(session.channels.email).toBe(true);
  });
});

describe('unseen chat replies follow the visitor by email', () => {
  let parley: TestParley;
  let agent: AgentSession;
  beforeEach(async () => {
    parley = await startTestParley({ email: fastEmail({ followupDelayMs: 300 }) });
    agent = await AgentSession.signIn(parley);
  });
  afterEach(() => parley.destroy());

  const outbox = () => agent.request('/api/outbox').then((r) => r.json() as Promise<OutboxPage>);

  it('emails the unseen replies once, after the delay, restarting the timer on each reply', async () => {
    const id = await visitorWhoLeft(parley, agent);
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'First answer', channel: 'chat' } });
    await new Promise((r) => setTimeout(r, 200));
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Second answer', channel: 'chat' } });
    await new Promise((r) => setTimeout(r, 200));
    // 400 ms after the first reply, but only 200 ms after the second: the timer was reset.
    expect((await outbox()).emails).toHaveLength(0);
    const page = await waitUntil(outbox, (p) => p.emails.length > 0);
    expect(page.emails[0]!.kind).toBe('followup');
    expect(page.emails[0]!.text).toMatch(/2 replies you haven't seen/);
    expect(page.emails[0]!.text).toContain('First answer');
    expect(page.emails[0]!.text).toContain('Second answer');
    await new Promise((r) => setTimeout(r, 500));
    expect((await outbox()).emails).toHaveLength(1);
  });

  it('follows up replies sent before the visitor left their email, once it is known', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'late-email-1', body: 'anyone there?' });
    const { token } = await client.next('identity');
    const ack = await client.next('ack');
    client.close();
    const id = ack.message.conversationId;
    await agent.request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body: 'Yes, here!', channel: 'chat' } });
    await new Promise((r) => setTimeout(r, 500));
    expect((await outbox()).emails).toHaveLength(0); // no address yet: nothing to send

    const { client: back } = await connectVisitor(parley, { token });
    back.send({ type: 'identify', email: 'late@example.com' });
    back.close();
    const page = await waitUntil(outbox, (p) => p.emails.length > 0);
    expect(page.emails[0]).toMatchObject({ kind: 'followup', to: 'late@example.com' });
    expect(page.emails[0]!.text).toContain('Yes, here!');
  });

  it('sends nothing when the visitor saw the reply in the widget', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'seen-msg-1', body: 'hello' });
    const { token } = await client.next('identity');
    const ack = await client.next('ack');
    client.send({ type: 'identify', email: 'seen@example.com' });
    await waitUntil(() => thread(agent, ack.message.conversationId), (d) => d.conversation.email === 'seen@example.com');
    const res = await agent.request(`/api/conversations/${ack.message.conversationId}/messages`, {
      method: 'POST',
      body: { body: 'Seen it?', channel: 'chat' },
    });
    const { message } = (await res.json()) as { message: ChatMessage };
    client.send({ type: 'seen', seq: message.seq });
    client.close();
    await new Promise((r) => setTimeout(r, 800));
    expect((await outbox()).emails).toHaveLength(0);
    expect(token).toBeTruthy();
  });

  it('emails only the replies after the last one the visitor saw', async () => {
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'half-seen-1', body: 'hello' });
    await client.next('identity');
    const ack = await client.next('ack');
    const id = ack.message.conversationId;
    client.send({ type: 'identify', email: 'half@example.com' });
    await waitUntil(() => thread(agent, id), (d) => d.conversation.email === 'half@example.com');
    const reply = (body: string) =>
      agent
        .request(`/api/conversations/${id}/messages`, { method: 'POST', body: { body, channel: 'chat' } })
        .then((r) => r.json() as Promise<{ message: ChatMessage }>);
    const { message: first } = await reply('Seen this one');
    client.send({ type: 'seen', seq: first.seq });
    const seenSeq = parley.database.sqlite.prepare<[number], number>('select visitor_seen_seq from conversations where id = ?').pluck();
    await waitUntil(() => seenSeq.get(id), (seq) => seq === first.seq);
    await reply('But not this one');
    client.close();
    const page = await waitUntil(outbox, (p) => p.emails.length > 0);
    // The thread follows the unseen replies for context; the seen one is only there.
    const [unseen] = page.emails[0]!.text.split('Our conversation so far');
    expect(unseen).toMatch(/a reply you haven't seen/);
    expect(unseen).toContain('But not this one');
    expect(unseen).not.toContain('Seen this one');
  });
});
