// The email channel: agent replies by email (queued durably, sent by a worker through Resend or
// kept in the local outbox), unseen chat replies followed up by email, and inbound mail threaded
// back into conversations through two webhooks.
import type { Hono } from 'hono';
import type { OutboxPage } from '../../../shared/protocol';
import type { Attachments } from '../../attachments';
import type { EmailConfig } from '../../config';
import type { Conversations } from '../../conversations';
import type { Storage } from '../../storage';
import { ReplyRefusedError } from '../outbound';
import { cancelFollowupIfSeen, hasUnseenReplies, queueDueFollowups } from './followups';
import { OutboxWorker, outboxPage } from './outbox';
import { emailRefusal, queueConversationEmail, type EmailSettings } from './outgoing';
import { lazyResendClient } from './resendClient';
import { localTransport, resendTransport } from './transport';
import { DEFAULT_READER_OPTIONS, MailReader } from './inbound/mailReader';
import { RESEND_API_URL } from './inbound/resend';
import { emailWebhooks } from './webhooks';

export interface EmailChannel {
  /** Mounted at /webhooks/email: POST /resend and POST /raw. */
  webhooks: Hono;
  /** 'local' when RESEND_API_KEY is unset: mail stays in the outbox. */
  transport: 'resend' | 'local';
  outbox(query: { cursor?: number; limit: number }): Promise<OutboxPage>;
  stop(): Promise<void>;
}

export function startEmailChannel(deps: {
  storage: Storage;
  conversations: Conversations;
  attachments: Attachments;
  config: EmailConfig;
  siteName: string;
  /** PARLEY_UNVERIFIED_EMAILS_PER_DAY. */
  unverifiedPerDay: number;
  now: () => number;
}): EmailChannel {
  const { storage, conversations, config, now } = deps;
  const resend = config.resendApiKey ? lazyResendClient(config.resendApiKey, config.resendBaseUrl) : null;
  const transport = resend ? resendTransport(resend) : localTransport;
  const settings: EmailSettings = { siteName: deps.siteName, inboundDomain: config.inboundDomain, now, unverifiedPerDay: deps.unverifiedPerDay };

  const worker = new OutboxWorker(storage, transport, {
    from: config.from,
    now,
    pollMs: config.pollMs,
    retry: { baseDelayMs: config.retryBaseMs, maxDelayMs: config.retryMaxDelayMs, maxAttempts: config.maxAttempts },
    leaseMs: config.leaseMs,
    onReport({ row, state, error }) {
      // A follow-up re-sends chat replies by email; their chat delivery is not what it reports on.
      if (row.messageId !== null && row.kind !== 'followup') return conversations.updateDelivery(row.messageId, { state, error });
    },
    beforePass: () => queueDueFollowups(storage, settings),
    // A reply's own files go with its email; the local outbox keeps them on the reply's message.
    async filesOf(row) {
      if (row.kind !== 'reply' || row.messageId === null) return [];
      const entries = (await storage.conversations.messageById(row.messageId))?.attachments ?? [];
      const files = await Promise.all(entries.map((entry) => deps.attachments.contentOf(entry)));
      return files.flatMap((file) => (file ? [{ filename: file.name, content: file.bytes, contentType: file.mimeType }] : []));
    },
  });

  conversations.registerOutbound('email', {
    // Refused up front (409, nothing stored, the agent keeps the draft and can answer by chat),
    // rather than stored and marked failed: a reply over the unverified cap was never going out.
    async check(conversation) {
      const refusal = await emailRefusal(storage, settings, conversation.id);
      if (refusal) throw new ReplyRefusedError(refusal);
    },
    async enqueue(tx, message, conversation, options) {
      const queued = await queueConversationEmail(tx, settings, {
        conversationId: conversation.id,
        kind: options.transcript ? 'transcript' : 'reply',
        top: [message],
        reportOn: message,
      });
      // Throwing here rolls the reply back with it: no reply is stored that cannot be emailed.
      if ('refused' in queued) throw new ReplyRefusedError(queued.refused);
    },
    dispatch: () => worker.kick(),
  });

  conversations.listen({
    async agentReplied(message, conversation) {
      if (message.channel === 'chat' && conversation.kind === 'web' && conversation.email) {
        await storage.email.scheduleFollowup(conversation.id, now() + config.followupDelayMs);
      }
    },
    async visitorIdentified(conversation) {
      // Replies sent before the visitor left an email follow them too, once it is known.
      if (conversation.kind === 'web' && (await hasUnseenReplies(storage, conversation.id))) {
        await storage.email.scheduleFollowupUnlessPending(conversation.id, now() + config.followupDelayMs);
      }
    },
    async visitorSaw(conversationId) {
      // Cheap check first: the widget reports "seen" often, follow-ups are rare.
      if (await storage.email.followupPending(conversationId)) await cancelFollowupIfSeen(storage, conversationId);
    },
  });

  worker.start();
  const reader = new MailReader({ ...DEFAULT_READER_OPTIONS, budgetMs: config.inboundReadBudgetMs });
  const resendInbound = Boolean(config.resendApiKey && config.resendWebhookSecret);
  // With an inbound door open its thread starts with the server (in the background: start-up does not
  // wait for it); without one, never.
  if (config.inboundSecret || resendInbound) reader.warm();

  return {
    webhooks: emailWebhooks({
      storage,
      conversations,
      resend:
        resendInbound && config.resendApiKey && config.resendWebhookSecret
          ? { api: { apiKey: config.resendApiKey, baseUrl: config.resendBaseUrl ?? RESEND_API_URL }, webhookSecret: config.resendWebhookSecret }
          : null,
      inboundSecret: config.inboundSecret,
      reader,
      attachments: deps.attachments,
      now,
    }),
    transport: transport.name,
    outbox: (query) => outboxPage(storage, query, transport.name),
    stop: () => Promise.all([worker.stop(), reader.close()]).then(() => {}),
  };
}
