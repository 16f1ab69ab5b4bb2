// The two doors inbound mail comes through: POST /webhooks/email/resend (Resend's signed
// `email.received` event) and POST /webhooks/email/raw (a raw RFC 822 message from any other
// provider, with a shared secret). Every refusal is a 4xx with a JSON body and a log line, and
// touches nothing already stored.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiError } from '../../../shared/protocol';
import type { Conversations } from '../../conversations';
import type { Db } from '../../db';
import { MalformedEmailError, parseRawEmail, type InboundEmail } from './inbound/parse';
import { receiveEmail, UnknownReplyTokenError } from './inbound/receive';
import type { ResendClient } from './resendClient';
import { BadSignatureError, fetchReceivedEmail, UpstreamError, verifiedReceivedEmailId } from './inbound/resend';

export const INBOUND_SECRET_HEADER = 'X-Parley-Inbound-Secret';
export const MAX_INBOUND_EMAIL_BYTES = 10 * 1024 * 1024;

const sameSecret = (given: string, expected: string) =>
  // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

export function emailWebhooks(deps: {
  db: Db;
  conversations: Conversations;
  /** null: inbound through Resend is off (no API key to fetch bodies, or no signing secret). */
  resend: { client: ResendClient; webhookSecret: string } | null;
  inboundSecret: string | null;
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

  const store = async (c: Context, email: InboundEmail) => {
    try {
      const received = await receiveEmail(deps.db, deps.conversations, email, deps.now());
      console.log(
        `[parley] email ${email.messageId} from ${email.from.address} → conversation ${received.conversationId}` +
          (received.duplicate ? ' (duplicate, already stored)' : ` (threaded by ${received.threadedBy})`),
      );
      return c.json(received, 200);
    } catch (err) {
      if (err instanceof UnknownReplyTokenError) return refuse(c, 404, err.message);
      throw err;
    }
  };

  routes.post('/resend', async (c) => {
    if (!deps.resend) return refuse(c, 403, 'Resend inbound is not configured (RESEND_API_KEY and RESEND_WEBHOOK_SECRET)');
    const raw = await c.req.text();
    let emailId: string | null;
    try {
      emailId = await verifiedReceivedEmailId(deps.resend.webhookSecret, raw, {
        'svix-id': c.req.header('svix-id') ?? '',
        'svix-timestamp': c.req.header('svix-timestamp') ?? '',
        'svix-signature': c.req.header('svix-signature') ?? '',
      });
    } catch (err) {
      if (err instanceof BadSignatureError) return refuse(c, 401, `Bad webhook signature: ${err.message}`);
      if (err instanceof MalformedEmailError) return refuse(c, 400, err.message);
      throw err;
    }
    if (emailId === null) return c.json({ ignored: true }, 200);
    try {
      return await store(c, await fetchReceivedEmail(await deps.resend.client(), emailId));
    } catch (err) {
      if (err instanceof UpstreamError) return refuse(c, 502, err.message);
      if (err instanceof MalformedEmailError) return refuse(c, 400, err.message);
      throw err;
    }
  });

  routes.post('/raw', async (c) => {
    if (!deps.inboundSecret) return refuse(c, 403, 'Raw inbound email is not configured (PARLEY_INBOUND_SECRET)');
    if (!sameSecret(c.req.header(INBOUND_SECRET_HEADER) ?? '', deps.inboundSecret)) {
      return refuse(c, 401, `Missing or wrong ${INBOUND_SECRET_HEADER} header`);
    }
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.length === 0) return refuse(c, 400, 'Empty body: send the raw RFC 822 message');
    try {
      // No Message-ID: one derived from the bytes, so a redelivery of the same mail still matches.
      const fallbackId = () => `<sha256.${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@parley.invalid>`;
      return await store(c, await parseRawEmail(raw, fallbackId));
    } catch (err) {
      if (err instanceof MalformedEmailError) return refuse(c, 400, err.message);
      throw err;
    }
  });

  return routes;
}
