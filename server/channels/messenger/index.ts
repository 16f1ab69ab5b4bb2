// The Facebook Messenger channel: Meta's webhook in, the Send API out. It only translates between
// Meta's events and the conversation service; it never writes messages or talks to sockets itself.
import type { Hono } from 'hono';
import type { Attachment } from '../../../shared/protocol';
import type { Attachments } from '../../attachments';
import type { MessengerConfig } from '../../config';
import type { Conversations } from '../../conversations';
import type { Storage } from '../../storage';
import { copyAttachments } from './attachmentCopies';
import { graphClient } from './graphClient';
import { createInbound } from './inbound';
import { createReplyDelivery, failInterruptedReplies, MESSENGER_SEND_LEASE_MS } from './replyDelivery';
import { messengerWebhooks } from './webhooks';

export interface MessengerChannel {
  /** Mounted at /webhooks/messenger: GET verification handshake, POST signed events. */
  webhooks: Hono;
  /** Waits for sends and profile lookups under way, so none of them outlives the database. */
  stop(): Promise<void>;
}

export function startMessengerChannel(deps: {
  storage: Storage;
  conversations: Conversations;
  attachments: Attachments;
  config: MessengerConfig;
  now: () => number;
  /** Other processes share the database (PARLEY_REDIS_URL): their sends in flight are not interrupted. */
  clustered: boolean;
}): MessengerChannel {
  const { storage, conversations, config, now } = deps;
  const graph = graphClient(config);
  const running = new Set<Promise<void>>();
  let stopped = false;

  /** Network work, started after the webhook has answered or the reply has been stored. */
  function inBackground(task: () => Promise<void>): void {
    if (stopped) return;
    const run = task()
      .catch((err: unknown) => console.error('[parley] messenger:', err))
      .finally(() => running.delete(run));
    running.add(run);
  }

  inBackground(() => failInterruptedReplies(storage, conversations, deps.clustered ? now() - MESSENGER_SEND_LEASE_MS : now()));
  // A process of a cluster that died mid-send leaves its replies queued: whoever lives tells the agent.
  const sweep = setInterval(
    () => inBackground(() => failInterruptedReplies(storage, conversations, now() - MESSENGER_SEND_LEASE_MS)),
    MESSENGER_SEND_LEASE_MS / 5,
  );
  sweep.unref();
  const copyFiles = (messageId: number, list: Attachment[]) =>
    // Meta's CDN is https; only a Graph API configured on http (the tests' fake) serves files on http.
    copyAttachments({ storage, conversations, attachments: deps.attachments, allowHttp: config.graphUrl.startsWith('http:') }, messageId, list);
  const replies = createReplyDelivery({ storage, conversations, graph, now, inBackground, fileOf: (entry) => deps.attachments.contentOf(entry) });
  conversations.registerOutbound('messenger', replies);
  const inbound = createInbound({
    storage,
    conversations,
    config,
    graph,
    now,
    isOwnEcho: replies.isOwnEcho,
    inBackground,
    copyAttachments: copyFiles,
  });

  // Copies a restart cut short (stop() waits for them, but a shutdown deadline may not): Meta's
  // addresses expire, so they are made again now rather than never.
  inBackground(async () => {
    for (const message of await storage.messenger.filesAwaitingCopies()) inBackground(() => copyFiles(message.id, message.attachments));
  });

  return {
    webhooks: messengerWebhooks({ config, receive: inbound.receive, ignored: inbound.ignored }),
    async stop() {
      stopped = true;
      clearInterval(sweep);
      await Promise.allSettled([...running]);
    },
  };
}
