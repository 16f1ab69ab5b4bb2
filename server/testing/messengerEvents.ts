// Meta's side of the Messenger webhook for tests: real-shaped events, batched into entries, posted
// with an X-Hub-Signature-256 over the exact bytes sent (or a forged one, or none).
import { createHmac } from 'node:crypto';
import type { MessengerConfig } from '../config';

export const PAGE_ID = '104857600000001';
export const APP_ID = '1517776481860111';
/** Meta Business Suite's inbox, which echoes the replies typed there with its own app_id. */
export const BUSINESS_SUITE_APP_ID = 263902037430900;

/** A Messenger config pointing at a fake Graph API. */
export function testMessengerConfig(graphUrl: string, overrides: Partial<MessengerConfig> = {}): MessengerConfig {
  return {
    pageToken: 'test-page-token',
    appSecret: 'test-app-secret',
    verifyToken: 'test-verify-token',
    appId: APP_ID,
    graphUrl,
    graphVersion: 'v25.0',
    ...overrides,
  };
}

export function metaSignature(raw: string | Uint8Array, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

type Attachment = { type: string; payload: { url: string; title?: string } | null };

export const personWrites = (psid: string, mid: string, text: string, timestamp = Date.now()) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  timestamp,
  message: { mid, text },
});

export const personSends = (psid: string, mid: string, attachments: Attachment[], timestamp = Date.now()) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  timestamp,
  message: { mid, attachments },
});

/** Our page's message to `psid`, echoed back; `appId` says which app sent it. */
export const pageEcho = (psid: string, mid: string, text: string, appId: string | number, timestamp = Date.now()) => ({
  sender: { id: PAGE_ID },
  recipient: { id: psid },
  timestamp,
  message: { is_echo: true, app_id: typeof appId === 'string' ? Number(appId) : appId, mid, text },
});

export const delivered = (psid: string, watermark: number, mids?: string[]) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  delivery: { watermark, ...(mids && { mids }) },
});

export const seen = (psid: string, watermark: number) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  timestamp: watermark + 1,
  read: { watermark },
});

/** The webhook body: each argument is one entry's `messaging` array (Meta batches both ways). */
export function webhookPayload(...entries: unknown[][]) {
  return { object: 'page', entry: entries.map((messaging) => ({ id: PAGE_ID, time: Date.now(), messaging })) };
}

/**
 * POSTs to /webhooks/messenger. `body` is sent byte for byte when it is a string; `signature` is
 * the header to send (default: a correct one with `appSecret`; null: no header at all).
 */
export function postWebhook(
  baseUrl: string,
  body: unknown,
  options: { appSecret?: string; signature?: string | null } = {},
): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = options.signature === undefined ? metaSignature(raw, options.appSecret ?? 'test-app-secret') : options.signature;
  return fetch(`${baseUrl}/webhooks/messenger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature !== null && { 'X-Hub-Signature-256': signature }) },
    body: raw,
  });
}
