// Delivers agent replies through the Send API. The reply is already stored (state 'queued') when
// `dispatch` runs; this sends it, retries rate limits, and reports 'sent' with Meta's mid, or
// 'failed' with a reason the agent can act on. A failure is never silent.
import type { Attachment, ChatMessage, ConversationSummary } from '../../../shared/protocol';
import { ReplyRefusedError, type OutboundChannel, type ReplyOptions } from '../outbound';
import type { Conversations } from '../../conversations';
import { isDuplicateKey, type Storage } from '../../storage';
import type { GraphClient, OutgoingFile } from './graphClient';
import { messengerParts } from './messageContent';
import { windowRefusal } from './replyWindow';
import { describeSendFailure } from './sendErrors';

/** Waits before the second and third try of a rate-limited send. */
const RETRY_DELAYS_MS = [500, 2000];
/** Mids of recent sends, kept to recognise their echoes (only the last part's mid is stored). */
const REMEMBERED_MIDS = 1000;
const INTERRUPTED = 'Parley stopped before this reply reached Messenger; send it again if it is still needed';
/**
 * A send in flight ends well within this (a part takes at most 3 tries of 10 s each): a reply queued
 * longer was cut off by a process that died, here or elsewhere. The lease every process respects.
 */
export const MESSENGER_SEND_LEASE_MS = 5 * 60_000;

export interface ReplyDelivery extends OutboundChannel {
  /** True when this echo is of a message we sent, even if the Send API has not answered yet. */
  isOwnEcho(psid: string, mid: string, text: string | undefined): boolean;
}

/**
 * The stored 'queued' row is the queue. A reply still queued from before `queuedBefore` was cut off by
 * a crash, and Meta may or may not have it: the agent is told, rather than the person getting it twice.
 * At start a lone process passes now (nobody else sends); in a cluster, and in the periodic sweep,
 * now minus the lease, so no process fails a reply another is still sending.
 */
export async function failInterruptedReplies(storage: Storage, conversations: Conversations, queuedBefore: number): Promise<void> {
  for (const id of await storage.messenger.queuedReplies(queuedBefore)) {
    await conversations.updateDelivery(id, { state: 'failed', error: INTERRUPTED });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createReplyDelivery(deps: {
  storage: Storage;
  conversations: Conversations;
  graph: GraphClient;
  now: () => number;
  inBackground: (task: () => Promise<void>) => void;
  /** A reply's file from the attachment store, uploaded with its send. */
  fileOf: (entry: Attachment) => Promise<OutgoingFile | null>;
}): ReplyDelivery {
  const { storage, conversations, graph } = deps;
  /** Texts being sent to each PSID right now: their echo can arrive before the Send API answers. */
  const inFlight = new Map<string, string[]>();
  const recentMids = new Set<string>();

  function remember(mid: string): void {
    recentMids.add(mid);
    if (recentMids.size > REMEMBERED_MIDS) recentMids.delete(recentMids.values().next().value!);
  }

  function markInFlight(psid: string, texts: string[], sending: boolean): void {
    const current = inFlight.get(psid) ?? [];
    if (sending) current.push(...texts);
    // One copy each: the same text may be on its way in another reply too.
    else for (const text of texts) if (current.includes(text)) current.splice(current.indexOf(text), 1);
    if (current.length) inFlight.set(psid, current);
    else inFlight.delete(psid);
  }

  /** One Send API call, tried again after a short wait while Meta says it is rate-limited. */
  async function sendPart(psid: string, part: string | OutgoingFile, tag: ReplyOptions['messengerTag']) {
    for (let attempt = 0; ; attempt++) {
      const result = typeof part === 'string' ? await graph.sendText(psid, part, tag) : await graph.sendFile(psid, part, tag);
      if (result.ok) return result;
      const problem = describeSendFailure(result.failure);
      const delay = RETRY_DELAYS_MS[attempt];
      if (!problem.retry || delay === undefined) return { ok: false as const, reason: problem.reason };
      await sleep(delay);
    }
  }

  async function recordSent(messageId: number, mid: string): Promise<void> {
    try {
      await conversations.updateDelivery(messageId, { state: 'sent', externalId: mid });
    } catch (err) {
      // The mid is already stored: its echo was imported before the Send API answered. The
      // message still went out; it just keeps no mid of its own.
      if (!isDuplicateKey(err)) throw err;
      await conversations.updateDelivery(messageId, { state: 'sent' });
    }
  }

  async function deliver(message: ChatMessage, options: ReplyOptions): Promise<void> {
    const psid = await storage.messenger.psidOfConversation(message.conversationId);
    if (!psid) {
      await conversations.updateDelivery(message.id, { state: 'failed', error: 'This conversation has no Messenger recipient' });
      return;
    }
    const texts = messengerParts(message.body);
    // Each file is a Send API call of its own (text and attachment cannot share one), after the text.
    const files = await Promise.all((message.attachments ?? []).map((entry) => deps.fileOf(entry)));
    const parts: (string | OutgoingFile)[] = [...texts, ...files.filter((file) => file !== null)];
    markInFlight(psid, texts, true);
    try {
      let lastMid: string | undefined;
      for (const [index, part] of parts.entries()) {
        const result = await sendPart(psid, part, options.messengerTag);
        if (!result.ok) {
          const sentSoFar = index === 0 ? '' : `Only ${index} of ${parts.length} parts were sent. `;
          await conversations.updateDelivery(message.id, { state: 'failed', error: sentSoFar + result.reason });
          return;
        }
        remember(result.messageId);
        lastMid = result.messageId;
      }
      if (lastMid) await recordSent(message.id, lastMid);
    } finally {
      markInFlight(psid, texts, false);
    }
  }

  return {
    async check(conversation: ConversationSummary, options: ReplyOptions) {
      const refusal = windowRefusal(conversation.lastInboundAt, options.messengerTag, deps.now());
      if (refusal) throw new ReplyRefusedError(refusal);
    },

    async enqueue() {
      // Nothing to add: the reply row itself, stored as 'queued' in this transaction, is the queue.
    },

    dispatch(message, options) {
      deps.inBackground(async () => {
        try {
          await deliver(message, options);
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          await conversations.updateDelivery(message.id, { state: 'failed', error: `Could not send: ${reason}` });
          throw err;
        }
      });
    },

    isOwnEcho(psid, mid, text) {
      return recentMids.has(mid) || (text !== undefined && (inFlight.get(psid)?.includes(text) ?? false));
    },
  };
}
