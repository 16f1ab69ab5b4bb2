// Starts the channels beyond the widget's chat: email always (through Resend, or the local outbox),
// Messenger when configured. Each registers its outbound delivery with the conversation service and
// brings its own webhook routes, mounted under /webhooks.
import { Hono } from 'hono';
import type { Attachments } from '../attachments';
import type { ParleyConfig } from '../config';
import type { Conversations } from '../conversations';
import type { Storage } from '../storage';
import { startEmailChannel, type EmailChannel } from './email';
import { startMessengerChannel } from './messenger';

export interface Channels {
  /** POST /webhooks/email/resend, /webhooks/email/raw, GET+POST /webhooks/messenger. */
  webhooks: Hono;
  email: EmailChannel;
  stop(): Promise<void>;
}

export function startChannels(deps: {
  storage: Storage;
  conversations: Conversations;
  attachments: Attachments;
  config: ParleyConfig;
  now: () => number;
}): Channels {
  const { storage, conversations, attachments, config, now } = deps;
  const email = startEmailChannel({
    storage,
    conversations,
    attachments,
    config: config.email,
    siteName: config.siteName,
    unverifiedPerDay: config.unverifiedEmailsPerDay,
    now,
  });
  const messenger = config.messenger ? startMessengerChannel({ storage, conversations, attachments, config: config.messenger, now, clustered: config.redisUrl !== null }) : null;

  const webhooks = new Hono();
  webhooks.route('/email', email.webhooks);
  if (messenger) webhooks.route('/messenger', messenger.webhooks);

  return {
    webhooks,
    email,
    async stop() {
      await Promise.all([email.stop(), messenger?.stop()]);
    },
  };
}
