// Resend's inbound path: the `email.received` webhook is signed the Svix way and carries metadata
// only, so after the signature checks out the email itself is fetched from Resend's API. Not through
// the SDK: it reads any response whole and parses it on the event loop; here the body is read up
// to INBOUND_LIMITS.bytes and no further, and the mail reader parses it in its worker.
import { z } from 'zod';
import { readBounded } from '../../../http/boundedBody';
import { normaliseMessageId } from '../addresses';
import { resendDeliveryEvent, type ResendDeliveryEvent } from '../resendEvents';
import { automaticMail } from './automaticMail';
import { INBOUND_LIMITS, MalformedEmailError, type InboundEmail } from './parse';

export class BadSignatureError extends Error {}
/** Resend could not give us the email now; answering 5xx makes Resend deliver the webhook again. */
export class UpstreamError extends Error {}

const receivedEvent = z.object({
  type: z.string(),
  data: z
    .object({
      email_id: z.string().min(1).max(200),
      // What the event says about the email: enough to thread it when the email itself cannot be read.
      from: z.string().max(2000).optional().catch(undefined),
      to: z.array(z.string().max(2000)).max(1000).optional().catch(undefined),
      subject: z.string().max(2000).optional().catch(undefined),
      message_id: z.string().max(2000).optional().catch(undefined),
    })
    .loose(),
});

/** An `email.received` event: the email's id, and what the signed event itself says about it. */
export interface ReceivedEvent {
  emailId: string;
  from: string | null;
  to: string[];
  subject: string;
  messageId: string | null;
}

/**
 * Verifies the Svix signature over the raw body; returns an `email.received` event, delivery news
 * about an email we sent (resendEvents.ts), or null for other events.
 */
export async function verifiedReceivedEvent(
  secret: string,
  rawBody: string,
  headers: Record<string, string>,
): Promise<ReceivedEvent | ResendDeliveryEvent | null> {
  // Loaded on first use, like every inbound-mail library: start-up stays fast.
  const { Webhook, WebhookVerificationError } = await import('svix');
  let payload: unknown;
  try {
    payload = new Webhook(secret).verify(rawBody, headers);
  } catch (err) {
    if (err instanceof WebhookVerificationError) throw new BadSignatureError(err.message);
    throw err;
  }
  const event = receivedEvent.safeParse(payload);
  if (!event.success) throw new MalformedEmailError('Not a Resend webhook event');
  if (event.data.type !== 'email.received') return resendDeliveryEvent(payload);
  const { email_id, from, to, subject, message_id } = event.data.data;
  return { emailId: email_id, from: from ?? null, to: to ?? [], subject: subject ?? '', messageId: message_id ?? null };
}

export const RESEND_API_URL = 'https://api.resend.com';

export interface ResendApi {
  apiKey: string;
  /** RESEND_BASE_URL, or Resend's own API. */
  baseUrl: string;
}

/** Resend's record was larger than INBOUND_LIMITS.bytes; reading stopped there. */
export class ReceivedEmailTooLargeError extends Error {}

/** Resend's JSON record of a received email, read up to INBOUND_LIMITS.bytes; past that the download is cancelled. */
export async function fetchReceivedEmail(api: ResendApi, emailId: string, maxBytes: number = INBOUND_LIMITS.bytes): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(`${api.baseUrl.replace(/\/+$/, '')}/emails/receiving/${encodeURIComponent(emailId)}`, {
      headers: { authorization: `Bearer ${api.apiKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new UpstreamError(`Resend did not return email ${emailId}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new UpstreamError(`Resend did not return email ${emailId}: HTTP ${res.status}`);
  }
  const tooLarge = () => new ReceivedEmailTooLargeError(`Resend's record of email ${emailId} is larger than ${maxBytes / 1024 / 1024} MB`);
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  let record: Uint8Array | null;
  try {
    record = await readBounded(res.body, maxBytes, Number(res.headers.get('content-length')) || 0);
  } catch (err) {
    throw new UpstreamError(`Resend did not return email ${emailId}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (record === null) throw tooLarge();
  return record;
}

/**
 * The email as the signed event describes it, for one that cannot be read (too large, or past the
 * reader's budget): threaded by its sender and recipients, shown to the agent as `note`.
 */
export async function emailFromEvent(event: ReceivedEvent, note: string): Promise<InboundEmail> {
  const { addressParser } = await import('postal-mime');
  const addresses = (raw: string) => addressParser(raw).flatMap((a) => (a.group ? a.group : a.address ? [a] : []));
  const from = event.from ? addresses(event.from)[0] : undefined;
  if (!from?.address?.includes('@')) throw new MalformedEmailError('The received email has no From address');
  const envelope = {
    messageId: event.messageId ? normaliseMessageId(event.messageId) : `<resend.${event.emailId}@resend.invalid>`,
    inReplyTo: [],
    references: [],
    from: { address: from.address.toLowerCase(), name: from.name || null },
    recipients: event.to.flatMap((raw) => addresses(raw).map((a) => a.address!.toLowerCase())),
    subject: event.subject,
  };
  return {
    ...envelope,
    text: '',
    visibleText: note,
    rawSource: null,
    unreadable: true,
    // Only the sender and subject are known: enough to recognise a mail server's notice or an out-of-office.
    automatic: automaticMail({ header: () => [], fromAddress: envelope.from.address, ownMessageId: envelope.messageId, ...envelope, parts: null }),
  };
}
