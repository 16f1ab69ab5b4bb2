// The two doors inbound mail comes through: POST /webhooks/email/resend (Resend's signed
// `email.received` event, and its delivered/bounced/complained events about mail we sent) and POST
// /webhooks/email/raw (a raw RFC 822 message from any other provider, with a shared secret). Every refusal is a 4xx with a JSON body and a log line, and
// touches nothing already stored. Mail is read by the mail reader's worker, never on the event
// loop; one it cannot read in time is still stored, as unreadable with a note, its original kept.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiError } from '../../../shared/protocol';
import type { Attachments } from '../../attachments';
import { readBounded } from '../../http/boundedBody';
import type { Conversations } from '../../conversations';
import type { Storage } from '../../storage';
import { applyDeliveryNews } from './deliveryNews';
import { fetchResendBounceParts, type ResendSource } from './inbound/emailFiles';
import type { MailReader, ReadResult } from './inbound/mailReader';
import { INBOUND_LIMITS, MalformedEmailError, type InboundEmail } from './inbound/parse';
import { receiveEmail, UnknownReplyTokenError } from './inbound/receive';
import type { ResendDeliveryEvent } from './resendEvents';
import {
  BadSignatureError,
  emailFromEvent,
  fetchReceivedEmail,
  ReceivedEmailTooLargeError,
  UpstreamError,
  verifiedReceivedEvent,
  type ReceivedEvent,
  type ResendApi,
} from './inbound/resend';

export const INBOUND_SECRET_HEADER = 'X-Parley-Inbound-Secret';
export const MAX_INBOUND_EMAIL_BYTES = INBOUND_LIMITS.bytes;
/** A Resend webhook event is metadata only: a few KB. */
const MAX_RESEND_EVENT_BYTES = 256 * 1024;

const sameSecret = (given: string, expected: string) =>
  // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

export function emailWebhooks(deps: {
  storage: Storage;
  conversations: Conversations;
  /** null: inbound through Resend is off (no API key to fetch bodies, or no signing secret). */
  resend: { api: ResendApi; webhookSecret: string } | null;
  inboundSecret: string | null;
  reader: MailReader;
  attachments: Attachments;
  now: () => number;
}): Hono {
  const routes = new Hono();

  const refuse = (c: Context, status: 400 | 401 | 403 | 404 | 413 | 502 | 503, error: string) => {
    console.warn(`[parley] ${c.req.method} ${c.req.path} refused (${status}): ${error}`);
    return c.json({ error } satisfies ApiError, status);
  };

  routes.use(
    '*',
    bodyLimit({
      maxSize: MAX_INBOUND_EMAIL_BYTES,
      onError: (c) => refuse(c, 413, `Email larger than ${MAX_INBOUND_EMAIL_BYTES / 1024 / 1024} MB`),
    }),
  );
  routes.use(
    '/resend',
    bodyLimit({ maxSize: MAX_RESEND_EVENT_BYTES, onError: (c) => refuse(c, 413, `Webhook event larger than ${MAX_RESEND_EVENT_BYTES / 1024} KB`) }),
  );

  /** `resend`: where the email's attachments are fetched from (Resend door); raw mail carries its own. */
  const store = async (c: Context, email: InboundEmail, resend: ResendSource | null = null) => {
    try {
      const received = await receiveEmail(deps.storage, deps.conversations, email, deps.now(), { attachments: deps.attachments, resend });
      // Automatic mail set aside (a bounce, a stray auto-reply) was logged where it was decided: 200, nothing to retry.
      if ('setAside' in received) return c.json(received, 200);
      console.log(
        `[parley] email ${email.messageId} from ${email.from.address} → conversation ${received.conversationId}` +
          (received.duplicate ? ' (duplicate, already stored)' : ` (threaded by ${received.threadedBy})`) +
          (email.unreadable ? ', unreadable: kept with a note' : ''),
      );
      return c.json(received, 200);
    } catch (err) {
      if (err instanceof UnknownReplyTokenError) return refuse(c, 404, err.message);
      throw err;
    }
  };

  /** The Resend email the signed event names, recorded as unreadable with `note` (logged as why). */
  const storeFromEvent = async (c: Context, event: ReceivedEvent, why: string, note: string) => {
    console.warn(`[parley] Resend email ${event.emailId} not read: ${why}`);
    try {
      return await store(c, await emailFromEvent(event, note));
    } catch (err) {
      if (err instanceof MalformedEmailError) return refuse(c, 400, err.message);
      throw err;
    }
  };

  routes.post('/resend', async (c) => {
    if (!deps.resend) return refuse(c, 403, 'Resend inbound is not configured (RESEND_API_KEY and RESEND_WEBHOOK_SECRET)');
    const raw = await c.req.text();
    let event: ReceivedEvent | ResendDeliveryEvent | null;
    try {
      event = await verifiedReceivedEvent(deps.resend.webhookSecret, raw, {
        'svix-id': c.req.header('svix-id') ?? '',
        'svix-timestamp': c.req.header('svix-timestamp') ?? '',
        'svix-signature': c.req.header('svix-signature') ?? '',
      });
    } catch (err) {
      if (err instanceof BadSignatureError) return refuse(c, 401, `Bad webhook signature: ${err.message}`);
      if (err instanceof MalformedEmailError) return refuse(c, 400, err.message);
      throw err;
    }
    if (event === null) return c.json({ ignored: true }, 200);
    if ('news' in event) {
      const row = await deps.storage.email.outboxByProviderId(event.emailId);
      // Not ours (another app on the same Resend account), or sent before provider ids were kept.
      if (!row) return c.json({ ignored: true }, 200);
      await applyDeliveryNews(deps.storage, deps.conversations, row, event.news);
      console.log(`[parley] Resend: email ${row.id} to ${row.toAddress} ${event.news.state}${event.news.reason ? `: ${event.news.reason}` : ''}`);
      return c.json({ outboxId: row.id, state: event.news.state }, 200);
    }
    let record: Uint8Array;
    try {
      record = await fetchReceivedEmail(deps.resend.api, event.emailId);
    } catch (err) {
      if (err instanceof UpstreamError) return refuse(c, 502, err.message);
      // Answering 2xx with a note, not 4xx: Resend would deliver the same event again for days, and
      // each time we would download 10 MB to refuse it again. The email stays in Resend.
      if (err instanceof ReceivedEmailTooLargeError) {
        return storeFromEvent(c, event, err.message, `This email is larger than ${MAX_INBOUND_EMAIL_BYTES / 1024 / 1024} MB, so it was not fetched; it is kept in Resend (received email ${event.emailId}).`);
      }
      throw err;
    }
    const source = { api: deps.resend.api, emailId: event.emailId };
    let read = await deps.reader.read({ kind: 'resend', bytes: record, emailId: event.emailId });
    // A standard bounce names our email in its report and returned-message parts, which Resend keeps
    // as attachments: fetch those (their first bytes) and read the notice again with them.
    if (read.ok && read.email.automatic?.kind === 'bounce') {
      const bounceParts = await fetchResendBounceParts(source, read.email);
      if (bounceParts.length > 0) {
        const again = await deps.reader.read({ kind: 'resend', bytes: record, emailId: event.emailId, bounceParts });
        if (again.ok) read = again;
      }
    }
    // Resend's record is what arrived: kept whole, as a raw email is.
    if (read.ok) return store(c, { ...read.email, rawSource: record }, source);
    if (read.failure === 'malformed') return refuse(c, 400, read.message);
    const note =
      read.failure === 'overLimit'
        ? `This email was not read (${read.message}); it is kept in Resend (received email ${event.emailId}).`
        : `This email could not be read automatically; it is kept in Resend (received email ${event.emailId}).`;
    return storeFromEvent(c, event, read.message, note);
  });

  routes.post('/raw', async (c) => {
    if (!deps.inboundSecret) return refuse(c, 403, 'Raw inbound email is not configured (PARLEY_INBOUND_SECRET)');
    if (!sameSecret(c.req.header(INBOUND_SECRET_HEADER) ?? '', deps.inboundSecret)) {
      return refuse(c, 401, `Missing or wrong ${INBOUND_SECRET_HEADER} header`);
    }
    const raw = await readBounded(c.req.raw.body, MAX_INBOUND_EMAIL_BYTES, Number(c.req.header('content-length')) || 0);
    if (raw === null) return refuse(c, 413, `Email larger than ${MAX_INBOUND_EMAIL_BYTES / 1024 / 1024} MB`);
    if (raw.length === 0) return refuse(c, 400, 'Empty body: send the raw RFC 822 message');
    let read: ReadResult = await deps.reader.read({ kind: 'raw', bytes: raw });
    if (!read.ok && read.failure === 'unreadable') {
      // Kept anyway, threaded by its header block alone: the agent sees a note, the bytes are stored.
      console.warn(`[parley] raw email not read (${read.message}); keeping it as unreadable`);
      read = await deps.reader.read({ kind: 'headers', bytes: raw });
    }
    if (!read.ok) {
      if (read.failure === 'overLimit') return refuse(c, 413, read.message);
      return refuse(c, 400, read.failure === 'malformed' ? read.message : `Not even the headers could be read: ${read.message}`);
    }
    return store(c, { ...read.email, rawSource: raw });
  });

  return routes;
}
