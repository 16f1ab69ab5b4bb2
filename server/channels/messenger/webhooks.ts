// The routes Meta calls, mounted at /webhooks/messenger: GET answers the subscription handshake,
// POST takes signed events. Nothing is parsed, let alone stored, before the signature over the raw
// bytes has been checked.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiError } from '../../../shared/protocol';
import type { MessengerConfig } from '../../config';
import { isSignedByMeta, sameSecret } from './signature';
import { webhookBody } from './webhookPayload';

/** Meta's batches are far smaller; anything bigger is not from Meta. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
const MAX_CHALLENGE_LENGTH = 256;

export function messengerWebhooks(deps: {
  config: MessengerConfig;
  receive: (events: unknown[]) => Promise<void>;
  /** Told about event kinds delivered outside `messaging` (standby), which Parley does not act on. */
  ignored?: (kind: string) => void;
}): Hono {
  const { config } = deps;
  const routes = new Hono();

  // Meta checks the callback URL when it is saved in the app dashboard: echo the challenge if the
  // verify token is ours.
  routes.get('/', (c) => {
    const token = c.req.query('hub.verify_token') ?? '';
    const challenge = c.req.query('hub.challenge') ?? '';
    const valid =
      c.req.query('hub.mode') === 'subscribe' &&
      sameSecret(token, config.verifyToken) &&
      challenge.length > 0 &&
      challenge.length <= MAX_CHALLENGE_LENGTH;
    if (!valid) return c.json({ error: 'Verification failed' } satisfies ApiError, 403);
    return c.text(challenge);
  });

  routes.post(
    '/',
    bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: (c) => c.json({ error: 'Body too large' } satisfies ApiError, 413) }),
    async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!isSignedByMeta(raw, c.req.header('X-Hub-Signature-256'), config.appSecret)) {
        return c.json({ error: 'Bad or missing X-Hub-Signature-256' } satisfies ApiError, 403);
      }
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
      } catch {
        return c.json({ error: 'Body must be JSON' } satisfies ApiError, 400);
      }
      const body = webhookBody.safeParse(json);
      if (!body.success) return c.json({ error: 'Not a Messenger webhook payload' } satisfies ApiError, 400);
      // Other objects (Instagram, ...) are acknowledged and ignored, or Meta would retry them.
      if (body.data.object === 'page') {
        if (body.data.entry.some((entry) => entry.standby?.length)) deps.ignored?.('standby');
        await deps.receive(body.data.entry.flatMap((entry) => entry.messaging ?? []));
      }
      return c.text('EVENT_RECEIVED');
    },
  );

  return routes;
}
