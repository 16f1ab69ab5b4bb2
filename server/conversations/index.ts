// The one path every message takes: store it, update its conversation, fan it out to agents and to
// the visitor's open tabs. Channels (chat, email, Messenger) only translate into these calls; none
// of them writes messages or talks to sockets on its own. Shared conversation state (read,
// complete) changes here too, so every agent hears about every change.
import type { WebSocket } from 'ws';
import { defaultReplyChannel, replyChannelOptions, type ChannelSupport } from '../../shared/channels';
import type { Attachment, Author, Channel, ChatMessage, ConversationPage, ConversationSummary, DeliveryState } from '../../shared/protocol';
import { fillTags } from '../../shared/tags';
import { ReplyRefusedError, type OutboundChannel, type ReplyOptions } from '../channels/outbound';
import { inTransaction, syncToDisk, withoutFsync, writesPaused, type Db } from '../db';
import type { Hub } from '../realtime/hub';
import { contactPanel } from './contactPanel';
import { HistoryCache } from './historyCache';
import { createBatchWriter } from './inboundBatch';
import { conversationList, conversationSummary } from './list';
import {
  conversationById,
  conversationIdOfVisitor,
  conversationOfVisitor,
  createConversation,
  historyJson,
  identifyVisitor,
  insertMessage,
  markReadByAgents,
  markSeenByVisitor,
  messageById,
  setConversationStatus,
  tagValuesFor,
  unreadConversationCount,
  updateDelivery,
  visitorHistoryJson,
  type VisitorIdentity,
} from './store';
import { VisitRecorder, type Visit } from './visits';

export * from './store';

const UNREAD_COALESCE_MS = 100;

export class ConversationNotFoundError extends Error {}
/** A reply whose personalization tags cannot be filled; the message says what to fix. */
export class ReplyTagError extends Error {}

export interface InboundMessage {
  visitorId: number;
  clientId: string;
  body: string;
  /** The socket it came from: the visitor's other tabs get the message, this one gets an ack. */
  fromSocket?: WebSocket;
}

export interface StoredMessage {
  message: ChatMessage;
  /** True when this clientId was already stored: ack again, but do not fan out twice. */
  duplicate: boolean;
}

/** A message that arrived through another channel (an email, a Messenger event) for a known conversation. */
export interface ExternalMessage {
  conversationId: number;
  /** 'visitor' for the participant; 'agent' for our own side written elsewhere (Meta Business Suite). */
  author: Author;
  channel: Exclude<Channel, 'chat'>;
  body: string;
  /** The channel's id for it (Message-ID, mid): a redelivery is stored once. */
  externalId: string;
  otherSender?: string | null;
  attachments?: Attachment[] | null;
  deliveryState?: DeliveryState | null;
  createdAt?: number;
}

export interface AgentReply extends ReplyOptions {
  conversationId: number;
  agent: { id: number; name: string };
  body: string;
  clientId?: string;
  /** Omitted: the conversation's default channel right now (shared/channels.ts). */
  channel?: Channel;
}

/** What channels hear about, to act later (the email follow-up of unseen chat replies). */
export interface ConversationEvents {
  agentReplied?(message: ChatMessage, conversation: ConversationSummary): void;
  visitorSaw?(conversationId: number, messageId: number): void;
  /** The visitor left an email (from the widget's form or `Parley('identify')`). */
  visitorIdentified?(conversation: ConversationSummary): void;
}

export { ReplyRefusedError };

export type Conversations = ReturnType<typeof createConversations>;

export function createConversations(db: Db, hub: Hub) {
  const isOnline = (visitorId: number) => hub.isOnline(visitorId);
  const threads = new HistoryCache();
  const visitorThreads = new HistoryCache();
  const visits = new VisitRecorder(db);
  const summary = (conversationId: number) => conversationSummary(db, conversationId, isOnline);
  const outbound: Partial<Record<Channel, OutboundChannel>> = {};
  const listeners: ConversationEvents[] = [];

  function invalidate(conversationId: number): void {
    threads.invalidate(conversationId);
    visitorThreads.invalidate(conversationId);
  }

  /** Fans a new message out; returns the conversation's summary as agents now see it. */
  function publish(message: ChatMessage, visitorId: number, fromSocket?: WebSocket): ConversationSummary | null {
    const conversation = summary(message.conversationId);
    if (conversation) hub.toAgents({ type: 'message', message, conversation });
    // Mail from another address is for agents only; the widget never sees it.
    if (!message.otherSender) hub.toVisitor(visitorId, { type: 'message', message }, fromSocket);
    return conversation;
  }

  function channelSupport(): ChannelSupport {
    return { email: Boolean(outbound.email), messenger: Boolean(outbound.messenger) };
  }

  /**
   * The nav's red dot and the tab title count, for every agent. Coalesced: under a burst of
   * messages one count (an index scan) goes out per UNREAD_COALESCE_MS, not one per message.
   */
  let unreadTimer: ReturnType<typeof setTimeout> | undefined;
  function publishUnreadTotal(): void {
    unreadTimer ??= setTimeout(() => {
      unreadTimer = undefined;
      hub.toAgents({ type: 'unread', conversations: unreadConversationCount(db) });
    }, UNREAD_COALESCE_MS);
  }

  /** A shared state change (read, complete, reopen, identified): every agent gets the new summary. */
  function publishConversation(conversationId: number): ConversationSummary {
    const conversation = summary(conversationId);
    if (!conversation) throw new ConversationNotFoundError(`No conversation ${conversationId}`);
    hub.toAgents({ type: 'conversation', conversation });
    publishUnreadTotal();
    return conversation;
  }

  function requireConversation(conversationId: number) {
    const conversation = conversationById(db, conversationId);
    if (!conversation) throw new ConversationNotFoundError(`No conversation ${conversationId}`);
    return conversation;
  }

  /** Visitor messages are group-committed (inboundBatch.ts): all that arrived meanwhile, in one transaction and one fsync. */
  const storeVisitorMessage = (input: InboundMessage): StoredMessage => {
    const conversationId = conversationIdOfVisitor(db, input.visitorId) ?? createConversation(db, input.visitorId).id;
    return insertMessage(db, { conversationId, author: 'visitor', body: input.body, clientId: input.clientId });
  };

  const inbound = createBatchWriter<InboundMessage, StoredMessage>({
    ready: () => writesPaused(db),
    commit: (items) => {
      // No fsync here: syncToDisk below flushes the batch from libuv's thread pool while the event
      // loop keeps serving sockets, and nobody hears of a message before it is on disk.
      const results = withoutFsync(db, () => {
        try {
          return inTransaction(db, () => items.map(storeVisitorMessage));
        } catch {
          // One message broke the batch (rolled back whole): store each alone, so only it fails.
          // Rare, so the common path pays for no savepoint per message (they doubled a batch's cost).
          return items.map((input) => {
            try {
              return inTransaction(db, () => storeVisitorMessage(input));
            } catch (err) {
              return err instanceof Error ? err : new Error(String(err));
            }
          });
        }
      });
      // Threads are read from SQLite, which already has these rows: drop the cached copies now.
      for (const result of results) if (!(result instanceof Error) && !result.duplicate) invalidate(result.message.conversationId);
      return results;
    },
    durable: () => syncToDisk(db),
    // Fan the whole batch out as one write per agent (hub.inOneWrite).
    afterDurable: (items, results) =>
      hub.inOneWrite(() => {
        let stored = 0;
        results.forEach((result, i) => {
          const input = items[i];
          if (!input || result instanceof Error || result.duplicate) return;
          stored++;
          publish(result.message, input.visitorId, input.fromSocket);
        });
        if (stored > 0) publishUnreadTotal();
      }),
  });

  /** Stores an email or Messenger message (once per external id); the caller owns the transaction. */
  const insertExternalMessage = (input: ExternalMessage): StoredMessage =>
    insertMessage(db, {
      conversationId: input.conversationId,
      author: input.author,
      body: input.body,
      channel: input.channel,
      externalId: input.externalId,
      otherSender: input.otherSender ?? null,
      attachments: input.attachments ?? null,
      deliveryState: input.deliveryState ?? null,
      now: input.createdAt,
    });

  /** A stored message from another channel reaches the agents and the visitor's widget. */
  const announce = (message: ChatMessage, visitorId: number) => {
    invalidate(message.conversationId);
    publish(message, visitorId);
    publishUnreadTotal();
  };

  return {
    /**
     * A visitor wrote: store it (once per clientId), reopen the conversation, count it unread, fan
     * it out. Resolves once it is on disk, so the caller can acknowledge it.
     */
    storeInboundMessage(input: InboundMessage): Promise<StoredMessage> {
      return inbound.add(input);
    },

    /**
     * An agent replied from the inbox: personalization tags are filled in, the channel is checked
     * (chat, or one a channel module registered), then it is stored, queued for delivery in the same
     * transaction, and fanned out. Throws ReplyTagError / ReplyRefusedError before storing anything.
     */
    storeAgentReply(input: AgentReply): ChatMessage {
      const conversation = summary(input.conversationId);
      if (!conversation) throw new ConversationNotFoundError(`No conversation ${input.conversationId}`);
      const channel = input.channel ?? defaultReplyChannel(conversation, channelSupport());
      const option = replyChannelOptions(conversation, channelSupport()).find((o) => o.channel === channel);
      if (!option) throw new ReplyRefusedError(`This conversation cannot be answered by ${channel}`);
      if (!option.enabled) throw new ReplyRefusedError(option.reason ?? `${option.label} is not available`);
      const options: ReplyOptions = { messengerTag: input.messengerTag, transcript: input.transcript };
      const delivery = channel === 'chat' ? undefined : outbound[channel];
      delivery?.check(conversation, options);
      const filled = fillTags(input.body, { ...tagValuesFor(db, conversation.id), agent: { name: input.agent.name } });
      if (!filled.ok) throw new ReplyTagError(filled.error);
      const { message, duplicate } = inTransaction(db, () => {
        const stored = insertMessage(db, {
          conversationId: conversation.id,
          author: 'agent',
          agentId: input.agent.id,
          body: filled.text,
          clientId: input.clientId ?? null,
          channel,
          deliveryState: delivery ? 'queued' : null,
        });
        if (!stored.duplicate) delivery?.enqueue(stored.message, conversation, options);
        return stored;
      });
      if (!duplicate) {
        invalidate(conversation.id);
        const after = publish(message, conversation.visitorId) ?? conversation;
        publishUnreadTotal();
        delivery?.dispatch(message, options);
        for (const listener of listeners) listener.agentReplied?.(message, after);
      }
      return message;
    },

    /**
     * A message that came in through email or Messenger (or our own reply written elsewhere), for
     * an existing conversation: stored once per external id, then fanned out like a chat message.
     */
    storeExternalMessage(input: ExternalMessage): StoredMessage {
      const conversation = requireConversation(input.conversationId);
      const stored = inTransaction(db, () => insertExternalMessage(input));
      if (!stored.duplicate) announce(stored.message, conversation.visitorId);
      return stored;
    },

    /**
     * The same, for a message its channel keeps a large record of beside it (an email's raw source):
     * `alongside` writes that record in the same transaction, and the commit's fsync runs off the event
     * loop before anyone hears of the message. Fsynced on the main thread, the megabytes of WAL a
     * 10 MB email writes stalled every chat socket for 100+ ms (bench/hostileEmail.ts).
     */
    async storeExternalMessageWith(input: ExternalMessage, alongside: (stored: StoredMessage) => void): Promise<StoredMessage> {
      const conversation = requireConversation(input.conversationId);
      const stored = withoutFsync(db, () =>
        inTransaction(db, () => {
          const inserted = insertExternalMessage(input);
          if (!inserted.duplicate) alongside(inserted);
          return inserted;
        }),
      );
      await syncToDisk(db);
      if (!stored.duplicate) announce(stored.message, conversation.visitorId);
      return stored;
    },

    /** A channel's delivery report for an outgoing message: stored, and every agent sees it change. */
    updateDelivery(messageId: number, change: { state: DeliveryState; error?: string | null; externalId?: string }): void {
      updateDelivery(db, messageId, change);
      const message = messageById(db, messageId);
      if (!message) return;
      invalidate(message.conversationId);
      hub.toAgents({ type: 'messageUpdated', message });
    },

    /** A channel module offers delivery of agent replies on `channel` (see channels/outbound.ts). */
    registerOutbound(channel: Exclude<Channel, 'chat'>, delivery: OutboundChannel): void {
      outbound[channel] = delivery;
    },

    /** A channel module wants to hear about replies and what the visitor saw. */
    listen(events: ConversationEvents): void {
      listeners.push(events);
    },

    /** Which reply channels this server can deliver (the inbox's dropdown). */
    channelSupport,

    /** An agent opened it: read for every agent. */
    markRead(conversationId: number): ConversationSummary {
      requireConversation(conversationId);
      markReadByAgents(db, conversationId);
      return publishConversation(conversationId);
    },

    setStatus(conversationId: number, status: 'open' | 'complete'): ConversationSummary {
      requireConversation(conversationId);
      setConversationStatus(db, conversationId, status);
      return publishConversation(conversationId);
    },

    /** A participant's details changed outside any message (a Messenger profile name learned later). */
    refreshConversation(conversationId: number): ConversationSummary {
      return publishConversation(conversationId);
    },

    /** The visitor's widget showed messages up to this id. */
    seenByVisitor(visitorId: number, messageId: number): void {
      const conversationId = conversationIdOfVisitor(db, visitorId);
      if (conversationId === null) return;
      markSeenByVisitor(db, conversationId, messageId);
      for (const listener of listeners) listener.visitorSaw?.(conversationId, messageId);
    },

    /** The visitor said who they are: a proven address joins its contact, a typed one stays a claim (store.ts). */
    identify(visitorId: number, input: VisitorIdentity): void {
      // The same identify again (every page load of a signed-in site sends one) tells agents nothing.
      if (!identifyVisitor(db, visitorId, input)) return;
      const conversationId = conversationIdOfVisitor(db, visitorId);
      if (conversationId === null) return;
      const summary = publishConversation(conversationId);
      if (input.email) for (const listener of listeners) listener.visitorIdentified?.(summary);
    },

    /** A visitor's socket opened or closed: record the visit, turn their green dot on or off. */
    presenceChanged(visitorId: number, online: boolean, visit: Partial<Visit> = {}): void {
      visits.seen(visitorId, visit);
      const conversationId = conversationIdOfVisitor(db, visitorId);
      if (conversationId !== null) hub.toAgents({ type: 'presence', conversationId, online });
    },

    /** The visitor's draft, for the agents' live preview ('' when cleared). */
    visitorTyping(visitorId: number, preview: string): void {
      const conversationId = conversationIdOfVisitor(db, visitorId);
      if (conversationId !== null) hub.toAgents({ type: 'visitorTyping', conversationId, preview });
    },

    /** "Ada is typing…" in the widget; `agentName: null` when they stopped. */
    agentTyping(conversationId: number, agentName: string | null): void {
      const conversation = conversationById(db, conversationId);
      if (conversation) hub.toVisitor(conversation.visitorId, { type: 'typing', agentName });
    },

    /**
     * The visitor's messages after `sinceId`, for the welcome frame: `enclose(opening)` answers the
     * frame's UTF-8 JSON, `opening`, the messages as the store serialised them, and a closing `}`.
     * A whole thread (sinceId 0) comes from the cache, and so does the last frame built around it.
     */
    visitorThread(visitorId: number, sinceId = 0): { seenUpTo: number; enclose: (opening: string) => Buffer } {
      const conversation = conversationOfVisitor(db, visitorId);
      if (!conversation) return { seenUpTo: 0, enclose: (opening) => Buffer.from(`${opening}[]}`) };
      const id = conversation.id;
      return {
        seenUpTo: conversation.visitorSeenMessageId,
        enclose: (opening) =>
          sinceId === 0
            ? visitorThreads.enclosed(id, opening, () => visitorHistoryJson(db, id))
            : Buffer.from(`${opening}${visitorHistoryJson(db, id, sinceId)}}`),
      };
    },

    list(query: { status: 'open' | 'complete' | 'all'; cursor?: string; limit: number }): ConversationPage {
      return conversationList(db, query, isOnline);
    },

    summary,

    /**
     * A ConversationDetail as UTF-8 JSON: the thread is serialised by SQLite and cached as bytes
     * (historyCache.ts), and so is the last response built around it, so reloading a conversation
     * whose list row and contact panel have not changed copies nothing.
     */
    detailJson(conversationId: number): Buffer<ArrayBuffer> | null {
      const conversation = summary(conversationId);
      const contact = contactPanel(db, conversationId, (visitorId) => visits.pending(visitorId));
      if (!conversation || !contact) return null;
      const opening = `{"conversation":${JSON.stringify(conversation)},"contact":${JSON.stringify(contact)},"messages":`;
      return threads.enclosed(conversationId, opening, () => historyJson(db, conversationId));
    },

    /** Resolves once every visitor message received so far is committed, on disk and acknowledged. */
    inboundDrained(): Promise<void> {
      return inbound.drained();
    },

    /** Flushes batched writes; call before the database closes. */
    stop(): void {
      clearTimeout(unreadTimer);
      visits.stop();
    },
  };
}
