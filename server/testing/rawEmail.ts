// Mail as a test sends it in: a small RFC 822 message posted to the raw inbound webhook, the way a
// mail server's pipe would deliver it.
import { INBOUND_SECRET_HEADER } from '../channels/email/webhooks';
import type { RunningParley } from '../app';

export interface RawEmail {
  from: string;
  to?: string;
  subject?: string;
  body: string;
  /** Without brackets is fine; a random one when omitted. */
  messageId?: string;
  inReplyTo?: string;
}

export function rawEmail(mail: RawEmail): string {
  const id = mail.messageId ?? `<${Math.random().toString(36).slice(2)}@mail.example.net>`;
  return [
    `From: ${mail.from}`,
    `To: ${mail.to ?? 'support@example.test'}`,
    `Subject: ${mail.subject ?? 'Hello'}`,
    'Date: Wed, 25 Nov 2026 09:12:44 -0500',
    `Message-ID: ${id}`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`, `References: ${mail.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    mail.body,
    '',
  ].join('\r\n');
}

/** Posts `mail` to /webhooks/email/raw; resolves with where it landed (or the error body). */
export async function receiveEmail(
  parley: RunningParley & { url: string },
  secret: string,
  mail: RawEmail,
): Promise<{ status: number; body: { conversationId?: number; threadedBy?: string; error?: string } }> {
  const res = await fetch(`${parley.url}/webhooks/email/raw`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', [INBOUND_SECRET_HEADER]: secret },
    body: rawEmail(mail),
  });
  return { status: res.status, body: (await res.json()) as { conversationId?: number; threadedBy?: string; error?: string } };
}
