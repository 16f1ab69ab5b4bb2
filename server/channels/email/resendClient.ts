// One Resend SDK client per server, created on first use: importing the SDK costs start-up time that
// a server without RESEND_API_KEY (the embedded default) should not pay.
import type { Resend } from 'resend';

export type ResendClient = () => Promise<Resend>;

export function lazyResendClient(apiKey: string, baseUrl: string | null): ResendClient {
  let client: Promise<Resend> | undefined;
  return () => (client ??= import('resend').then(({ Resend }) => new Resend(apiKey, { baseUrl: baseUrl ?? undefined })));
}
