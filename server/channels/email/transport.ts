// How a queued email leaves the server: through Resend when RESEND_API_KEY is set, or nowhere (the
// local outbox: the row in email_outbox is the email, and Settings → Outbox shows it).
import type { ResendClient } from './resendClient';

export interface OutgoingEmail {
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** Stable per email: a retry after a crash or a timeout is never sent twice. */
  idempotencyKey: string;
  /** The reply's files, read from the attachment store when it is sent. */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export type SendResult =
  | { ok: true; providerId: string | null }
  /** `retry: false` for a refusal that will not change (a bad address, a rejected key). */
  | { ok: false; error: string; retry: boolean };

export interface EmailTransport {
  name: 'resend' | 'local';
  send(email: OutgoingEmail): Promise<SendResult>;
}

export const localTransport: EmailTransport = {
  name: 'local',
  send: async () => ({ ok: true, providerId: null }),
};

export function resendTransport(resend: ResendClient): EmailTransport {
  return {
    name: 'resend',
    async send(email) {
      // The SDK never throws for API errors: it returns { data, error }.
      const { data, error } = await (await resend()).emails.send(
        {
          from: email.from,
          to: [email.to],
          replyTo: email.replyTo,
          subject: email.subject,
          html: email.html,
          text: email.text,
          headers: email.headers,
          ...(email.attachments?.length && { attachments: email.attachments }),
        },
        { idempotencyKey: email.idempotencyKey },
      );
      if (error) {
        const status = typeof error.statusCode === 'number' ? error.statusCode : null;
        // No status: the request never got an answer. 429 and 5xx are passing trouble; other 4xx are not.
        const retry = status === null || status === 429 || status >= 500;
        return { ok: false, error: `${error.message}${status ? ` (HTTP ${status})` : ''}`, retry };
      }
      return { ok: true, providerId: data?.id ?? null };
    },
  };
}
