// Resend's inbound path: the `email.received` webhook is signed the Svix way and carries metadata
// only, so after the signature checks out the email itself is fetched through the SDK.
import type { Resend } from 'resend';
import { z } from 'zod';
import { messageIdsIn, normaliseMessageId } from '../addresses';
import { htmlToText, MalformedEmailError, type InboundEmail } from './parse';

export class BadSignatureError extends Error {}
/** Resend could not give us the email now; answering 5xx makes Resend deliver the webhook again. */
export class UpstreamError extends Error {}

const receivedEvent = z.object({
  type: z.string(),
  data: z.object({ email_id: z.string().min(1).max(200) }).loose(),
});

/** Verifies the Svix signature over the raw body; returns the email id of an `email.received` event, or null for other events. */
export async function verifiedReceivedEmailId(secret: string, rawBody: string, headers: Record<string, string>): Promise<string | null> {
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
  return event.data.type === 'email.received' ? event.data.data.email_id : null;
}

const header = (headers: Record<string, string> | null, name: string): string | undefined => {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
};

export async function fetchReceivedEmail(resend: Resend, emailId: string): Promise<InboundEmail> {
  const { addressParser } = await import('postal-mime');
  const { data, error } = await resend.emails.receiving.get(emailId);
  if (error || !data) throw new UpstreamError(`Resend did not return email ${emailId}: ${error?.message ?? 'no data'}`);
  const from = addressParser(data.from).flatMap((a) => (a.group ? a.group : a.address ? [a] : []))[0];
  if (!from?.address) throw new MalformedEmailError('The received email has no From address');
  const messageId = data.message_id || header(data.headers, 'message-id');
  return {
    messageId: messageId ? normaliseMessageId(messageId) : `<resend.${emailId}@resend.invalid>`,
    inReplyTo: messageIdsIn(header(data.headers, 'in-reply-to')),
    references: messageIdsIn(header(data.headers, 'references')),
    from: { address: from.address.toLowerCase(), name: from.name || null },
    recipients: [...data.to, ...(data.cc ?? []), ...(data.received_for ?? [])].flatMap((raw) =>
      addressParser(raw).flatMap((a) => (a.group ? a.group : a.address ? [a] : [])).map((a) => a.address!.toLowerCase()),
    ),
    subject: data.subject ?? '',
    text: data.text?.trim() ? data.text : data.html ? htmlToText(data.html) : '',
  };
}
