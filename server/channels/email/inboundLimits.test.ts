// Inbound mail from a stranger costs bounded work: a hostile email is read beside the chat, not in
// its way; one that cannot be read in time is kept raw with a note for the agent; mail past the
// size and structure caps is refused on the raw door and noted through Resend, whose record is not
// downloaded past 10 MB. Real server, real HTTP and ws clients, a fake Resend on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationDetail } from '../../../shared/protocol';
import { defaultEmailConfig, type EmailConfig } from '../../config';
import { FakeResend, postResendEvent as postSignedResendEvent } from '../../testing/fakeResend';
import { AgentSession, connectVisitor, startTestParley, type TestParley } from '../../testing';
import { INBOUND_SECRET_HEADER } from './webhooks';

const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789';
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

const headers = (subject: string, contentType: string) =>
  `From: Mallory <mallory@example.net>\r\nTo: support@example.test\r\nSubject: ${subject}\r\n` +
  `Message-ID: <${randomBytes(8).toString('hex')}@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n\r\n`;

/** A multipart/mixed email of `count` parts, each made by `part(i)`. */
const multipart = (subject: string, count: number, part: (i: number) => string) =>
  headers(subject, 'multipart/mixed; boundary="b"') + Array.from({ length: count }, (_, i) => `--b\r\n${part(i)}\r\n`).join('') + '--b--\r\n';

const attachment = (i: number) =>
  `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="f${i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA`;

describe('inbound mail is bounded', () => {
  let parley: TestParley;
  let fake: FakeResend;

  async function start(email: Partial<EmailConfig> = {}) {
    fake = await FakeResend.start();
    parley = await startTestParley({
      email: {
        ...defaultEmailConfig,
        resendApiKey: 're_test',
        resendBaseUrl: fake.url,
        resendWebhookSecret: WEBHOOK_SECRET,
        inboundSecret: INBOUND_SECRET,
        ...email,
      },
    });
    return AgentSession.signIn(parley);
  }
  afterEach(async () => {
    await parley.destroy();
    await fake.close();
  });

  const postRaw = (raw: string) =>
    fetch(`${parley.url}/webhooks/email/raw`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', [INBOUND_SECRET_HEADER]: INBOUND_SECRET },
      body: raw,
    });

  const postResendEvent = (emailId: string, from = 'Mallory <mallory@example.net>') =>
    postSignedResendEvent(parley.url, WEBHOOK_SECRET, emailId, { from, to: ['support@example.test'], subject: 'Big one', message_id: `<${emailId}@example.net>` });

  const storedEmail = (messageId: number) => {
    const db = new BetterSqlite3(parley.dbPath, { readonly: true });
    try {
      const row = db.prepare('select unreadable, raw_source_id as sourceId from inbound_emails where message_id = ?').get(messageId) as {
        unreadable: number;
        sourceId: number | null;
      };
      // Large sources are stored in chunks (rawSources.ts): put them back together in order.
      const chunks = db.prepare('select bytes from raw_source_chunks where source_id = ? order by seq').pluck().all(row.sourceId) as Buffer[];
      return { unreadable: row.unreadable, rawSource: row.sourceId === null ? null : Buffer.concat(chunks) };
    } finally {
      db.close();
    }
  };

  it("keeps a visitor's chat acknowledged while a 10 MB hostile email is read", async () => {
    await start();
    const { client } = await connectVisitor(parley);
    const head = headers('Unclosed tags', 'text/html; charset=utf-8');
    const hostile = Buffer.from(head + '<a'.repeat(Math.floor((10 * 1024 * 1024 - head.length) / 2))); // just under the 10 MB cap
    const events: string[] = [];
    // An ordinary email first: what reading mail needs is loaded before the hostile one arrives.
    expect((await postRaw(headers('Hello', 'text/plain') + 'Just a question.\r\n')).status).toBe(200);

    // Raw http, so the last byte can be held back: the email is read only once it is whole.
    const req = request(`${parley.url}/webhooks/email/raw`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'content-length': hostile.length, [INBOUND_SECRET_HEADER]: INBOUND_SECRET },
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          events.push('email answered');
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('error', reject);
    });
    const roundTrips = async (label: string) => {
      // Each message is sent once the one before it is acknowledged.
      for (const n of [1, 2, 3]) {
        client.send({ type: 'send', clientId: `${label}-${n}`, body: `Still there? (${label} ${n})` });
        await client.next('ack', (f) => f.clientId === `${label}-${n}`, 60_000);
        events.push(`${label} ack ${n}`);
      }
    };
    req.write(hostile.subarray(0, -1));
    // These give the server time to take in all but the last byte.
    await roundTrips('upload');
    req.end(hostile.subarray(-1));
    await roundTrips('reading');
    expect(await answered).toBe(200);
    expect(events.slice(3)).toEqual(['reading ack 1', 'reading ack 2', 'reading ack 3', 'email answered']);
    client.close();
  }, 90_000);

  it('keeps an email it cannot read in time: unreadable, with a note for the agent and its raw source', async () => {
    const agent = await start({ inboundReadBudgetMs: 1 });
    const raw = headers('A long one', 'text/plain; charset=utf-8') + 'Please read all of this.\r\n'.repeat(40_000);
    const res = await postRaw(raw);
    expect(res.status).toBe(200);
    const { conversationId, messageId } = (await res.json()) as { conversationId: number; messageId: number };
    const thread = (await (await agent.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail;
    expect(thread.conversation.email).toBe('mallory@example.net');
    expect(thread.messages.at(-1)?.body).toBe(
      'A long one\n\nThis email could not be read automatically; its original is kept with the conversation.',
    );
    const stored = storedEmail(messageId);
    expect(stored.unreadable).toBe(1);
    expect(stored.rawSource?.toString('utf8')).toBe(raw);
  });

  it('keeps the raw source of every email it reads', async () => {
    await start();
    const raw = headers('Hello', 'text/plain; charset=utf-8') + 'Just a question.\r\n';
    const { messageId } = (await (await postRaw(raw)).json()) as { messageId: number };
    expect(storedEmail(messageId)).toEqual({ unreadable: 0, rawSource: Buffer.from(raw) });
  });

  it('refuses raw mail past the part, nesting and attachment caps, storing nothing', async () => {
    const agent = await start();
    const tooManyParts = multipart('Parts', 600, (i) => `Content-Type: text/plain\r\n\r\npart ${i}`);
    const nested =
      headers('Nested', 'multipart/mixed; boundary="n0"') +
      Array.from({ length: 30 }, (_, i) => `--n${i}\r\nContent-Type: multipart/mixed; boundary="n${i + 1}"\r\n\r\n`).join('') +
      '--n30\r\nContent-Type: text/plain\r\n\r\ndeep\r\n';
    const tooManyAttachments = multipart('Attachments', 150, attachment);
    for (const [raw, error] of [
      [tooManyParts, /more than 500 MIME parts/],
      [nested, /nests MIME parts more than 20 deep/],
      [tooManyAttachments, /more than 100 attachments/],
    ] as const) {
      const res = await postRaw(raw);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
    }
    const list = (await (await agent.request('/api/conversations')).json()) as { conversations: unknown[] };
    expect(list.conversations).toHaveLength(0);
  });

  it('notes an email Resend holds past the attachment cap instead of reading it', async () => {
    const agent = await start();
    fake.received.set('rcv_many', {
      id: 'rcv_many',
      from: 'Mallory <mallory@example.net>',
      to: ['support@example.test'],
      subject: 'Big one',
      text: 'see attached',
      html: null,
      message_id: '<rcv_many@example.net>',
      headers: {},
      attachments: Array.from({ length: 150 }, (_, i) => ({ id: `a${i}`, filename: `f${i}.bin` })),
    });
    const res = await postResendEvent('rcv_many');
    expect(res.status).toBe(200);
    const { conversationId } = (await res.json()) as { conversationId: number };
    const thread = (await (await agent.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail;
    expect(thread.messages.at(-1)?.body).toMatch(/not read \(The email has more than 100 attachments\); it is kept in Resend \(received email rcv_many\)/);
  });

  it('stops downloading an email from Resend past 10 MB, and notes it for the agent', async () => {
    const agent = await start();
    fake.oversized.set('rcv_huge', 200 * 1024 * 1024);
    const res = await postResendEvent('rcv_huge');
    expect(res.status).toBe(200);
    const { conversationId, messageId } = (await res.json()) as { conversationId: number; messageId: number };
    const thread = (await (await agent.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail;
    expect(thread.conversation.email).toBe('mallory@example.net');
    expect(thread.messages.at(-1)?.body).toMatch(/larger than 10 MB, so it was not fetched; it is kept in Resend \(received email rcv_huge\)/);
    expect(storedEmail(messageId).unreadable).toBe(1);
    // Socket buffers let a few MB more through, never the 200 MB.
    expect(fake.oversizedSent.get('rcv_huge')).toBeLessThan(50 * 1024 * 1024);
  });
});
