// The one path every message takes: store it, update its conversation, fan it out to agents and to
// the visitor's open tabs. Channels (chat, email, Messenger) only translate into these calls; none
// of them writes messages or talks to sockets on its own. Shared conversation state (read,
// complete) changes here too, so every agent hears about every change.
import type { WebSocket } from 'ws';
import { defaultReplyChannel, replyChannelOptions, type ChannelSupport } from '../../shared/channels';
import type { Attachment, Author, Channel, ChatMessage, ConversationPage, ConversationSummary, DeliveryState, Reaction } from '../../shared/protocol';
import { fillTags } from '../../shared/tags';
import { ReplyRefusedError, type OutboundChannel, type ReplyOptions } from '../channels/outbound';
import type { FanOut } from '../realtime/fanOut';
import type { DeliveryChange, ListQuery, Storage, Stores, StoredMessage, VisitorIdentity } from '../storage';
import { HistoryCache } from './historyCache';
import { inOrder } from './inOrder';
import { openingBefore, withTail } from './jsonWithTail';
import { VisitRecorder, type Visit } from './visits';

export type { StoredMessage, VisitorIdentity };

const UNREAD_COALESCE_MS = 100;

export class ConversationNotFoundError extends Error {}
/** An assignee who is not an active agent. */
export class AssigneeNotFoundError extends Error {}
/** A reply whose personalization tags cannot be filled; the message says what to fix. */
export class ReplyTagError extends Error {}

/** A visitor's chat message from the widget. */
export interface VisitorChatMessage {
  visitorId: number;
  clientId: string;
  body: string;
  /** The socket it came from: the visitor's other tabs get the message, this one gets an ack. */
  fromSocket?: WebSocket;
  /**
   * Files it carries (an upload, already on disk): run inside the message's transaction (`tx`), it
   * records their rows and returns the message's list and the row ids to link.
   */
  files?: (tx: Stores) => Promise<{ attachments: Attachment[]; ids: number[] }>;
}

/** A message that arrived through another channel (an email, a Messenger event) for a conversation. */
export interface ChannelMessage {
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
  /** Sent by a machine (an auto-reply): muted; it neither reopens the conversation nor counts as unread. */
  automatic?: boolean;
  createdAt?: number;
}

/**
 * How a channel places its message: either the message, or a step that finds (or creates) its
 * conversation inside the message's own transaction and returns it. `alongside` writes what the
 * channel keeps beside a newly stored message (an email's headers and source) in that transaction too.
 */
export interface ChannelDelivery<Placed extends ChannelMessage = ChannelMessage> {
  place: (tx: Stores) => Promise<Placed>;
  alongside?: (tx: Stores, stored: StoredMessage, placed: Placed) => Promise<void>;
}

export interface AgentReply extends ReplyOptions {
  conversationId: number;
  agent: { id: number; name: string };
  body: string;
  clientId?: string;
  /** Omitted: the conversation's default channel right now (shared/channels.ts). */
  channel?: Channel;
  /** Files uploaded for it, recorded but not yet linked: listed on the message and linked in its transaction. */
  files?: { attachments: Attachment[]; ids: number[] };
}

/** What channels hear about, to act later (the email follow-up of unseen chat replies). */
export interface ConversationEvents {
  agentReplied?(message: ChatMessage, conversation: ConversationSummary): Promise<void>;
  visitorSaw?(conversationId: number, seq: number): Promise<void>;
  /** The visitor left an email (from the widget's form or `Parley('identify')`). */
  visitorIdentified?(conversation: ConversationSummary): Promise<void>;
}

export { ReplyRefusedError };

/**
 * Where a visitor's widget is in their thread: a seq, or, from a panel built before seq existed (one
 * loaded before an upgrade keeps running), a message id, translated here.
 */
export type VisitorPosition = { seq: number } | { messageId: number };

export type Conversations = ReturnType<typeof createConversations>;

export function createConversations(storage: Storage, fanOut: FanOut) {
  const store = storage.conversations;
  const isOnline = (visitorId: number) => fanOut.isOnline(visitorId);
  const threads = new HistoryCache();
  const visitorThreads = new HistoryCache();
  const visits = new VisitRecorder(storage);
  const summary = (conversationId: number) => store.summary(conversationId, isOnline);
  const outbound: Partial<Record<Channel, OutboundChannel>> = {};
  const listeners: ConversationEvents[] = [];
  // Frames built from what the store answers go out in the order their events happened, however
  // long each read takes: a message never overtakes the one before it, nor "offline" its "online".
  const inTurn = inOrder();
  /**
   * A step whose frames someone waits on (an ack, an HTTP answer): it resolves once they have left
   * this process for good (fanOut.sent), waited for outside the queue so the next step need not.
   */
  const news = <T>(step: () => Promise<T>): Promise<T> =>
    inTurn(step).then(async (result) => {
      await fanOut.sent();
      return result;
    });
  /** A step nobody awaits: its failure is logged, never an unhandled rejection. */
  const inBackground = (step: () => Promise<unknown>) =>
    void inTurn(step).catch((err: unknown) => console.error('[parley] could not tell agents and visitors:', err));

  // A green dot is a view of who is connected, not news: the fan-out tells its own agents what it sees.
  fanOut.onVisitorPresence((visitorId, online) => {
    inBackground(async () => {
      const conversationId = await store.conversationIdOfVisitor(visitorId);
      if (conversationId !== null) fanOut.toAgentsHere({ type: 'presence', conversationId, online });
    });
  });

  fanOut.onThreadChanged((conversationId) => {
    threads.invalidate(conversationId);
    visitorThreads.invalidate(conversationId);
  });

  /** A stored message, and where it goes besides the agents. */
  interface Published {
    message: ChatMessage;
    visitorId: number;
    fromSocket?: WebSocket;
  }

  /**
   * Fans new messages out, in order, each with its conversation's summary as agents now see it, in
   * one write per socket; resolves with those summaries once sent.
   */
  function publish(messages: Published[]): Promise<(ConversationSummary | null)[]> {
    return news(async () => {
      // One read for the batch's conversations; each is as new as the batch, so every frame of a
      // conversation carries its summary after the whole batch.
      const byId = await store.summaries([...new Set(messages.map(({ message }) => message.conversationId))], isOnline);
      const summaries = messages.map(({ message }) => byId.get(message.conversationId) ?? null);
      fanOut.inOneWrite(() =>
        messages.forEach(({ message, visitorId, fromSocket }, i) => {
          const conversation = summaries[i];
          if (conversation) fanOut.toAgents({ type: 'message', message, conversation });
          // Mail from another address is for agents only; the widget never sees it.
          if (!message.otherSender) fanOut.toVisitor(visitorId, { type: 'message', message }, fromSocket);
        }),
      );
      return summaries;
    });
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
      inBackground(async () => fanOut.toAgents({ type: 'unread', conversations: await store.unreadCount() }));
    }, UNREAD_COALESCE_MS);
  }

  /** A shared state change (read, complete, reopen, identified): every agent gets the new summary. */
  function publishConversation(conversationId: number): Promise<ConversationSummary> {
    return news(async () => {
      const conversation = await summary(conversationId);
      if (!conversation) throw new ConversationNotFoundError(`No conversation ${conversationId}`);
      fanOut.toAgents({ type: 'conversation', conversation });
      publishUnreadTotal();
      return conversation;
    });
  }

  async function requireConversation(conversationId: number) {
    const conversation = await store.conversationById(conversationId);
    if (!conversation) throw new ConversationNotFoundError(`No conversation ${conversationId}`);
    return conversation;
  }

  /** A stored message changed after it was fanned out: cached threads go, every agent sees it again. */
  function publishUpdated(message: ChatMessage): void {
    fanOut.threadChanged(message.conversationId);
    fanOut.toAgents({ type: 'messageUpdated', message });
  }

  /**
   * Rewrites part of a stored message from what is stored now (`write` gets the current message), in
   * one transaction made durable off the event loop; then publishes it. An unknown id changes nothing.
   */
  async function rewriteMessage(messageId: number, write: (tx: Stores, current: ChatMessage) => Promise<void>): Promise<void> {
    const message = await storage.commitDurably(async (tx) => {
      const current = await tx.conversations.messageById(messageId);
      if (!current) return null;
      await write(tx, current);
      return tx.conversations.messageById(messageId);
    });
    if (message) publishUpdated(message);
  }

  /** A stored message from any channel reaches the agents and the visitor's widget. */
  async function announce(message: ChatMessage, visitorId: number): Promise<ConversationSummary | null> {
    fanOut.threadChanged(message.conversationId);
    const [after] = await publish([{ message, visitorId }]);
    publishUnreadTotal();
    return after ?? null;
  }

  // Chat messages are group-committed: all that arrived meanwhile go in one transaction and one
  // fsync, and the whole batch fans out as one write per agent.
  const chatMessages = storage.durableBatches<VisitorChatMessage, StoredMessage>({
    store: async (tx, inputs) => {
      // Files are recorded first, one message after another: their rows need no seq.
      const files: ({ attachments: Attachment[]; ids: number[] } | undefined)[] = [];
      for (const input of inputs) files.push(await input.files?.(tx));
      const stored = await tx.conversations.insertVisitorMessages(
        inputs.map(({ visitorId, clientId, body }, i) => ({ visitorId, clientId, body, attachments: files[i]?.attachments })),
      );
      for (const [i, ownFiles] of files.entries()) {
        if (!ownFiles) continue;
        // A resend of an upload already stored: its twin keeps its own rows.
        if (stored[i]!.duplicate) await tx.attachments.forgetUnlinked(ownFiles.ids);
        else await tx.attachments.linkToMessage(ownFiles.ids, stored[i]!.message.id);
      }
      return stored;
    },
    afterDurable: (items, results) => {
      const fresh: Published[] = [];
      results.forEach((result, i) => {
        const input = items[i];
        // A duplicate is a resend whose first copy was stored, maybe by a process that died before it
        // told anyone (between its commit and its fan-out): told again, or agents on the other
        // processes never see it live. The inbox and the widget merge messages by id, so telling
        // twice shows it once.
        if (!input || result instanceof Error) return;
        // Before any ack: a reload right after it finds the message.
        fanOut.threadChanged(result.message.conversationId);
        fresh.push({ message: result.message, visitorId: input.visitorId, fromSocket: input.fromSocket });
      });
      if (fresh.length === 0) return;
      publishUnreadTotal();
      // The acks wait for this: a visitor told "sent" means every agent (on every process) was told too.
      return publish(fresh).then(
        () => {},
        (err: unknown) => console.error('[parley] could not fan out stored messages:', err),
      );
    },
  });

  return {
    /**
     * A visitor wrote in the widget: store it (once per clientId), reopen the conversation, count it
     * unread, fan it out. Resolves once it is on disk, so the caller can acknowledge it.
     */
    storeChatMessage(input: VisitorChatMessage): Promise<StoredMessage> {
      return chatMessages.add(input);
    },

    /**
     * A message that came in through email or Messenger (or our own reply written elsewhere): stored
     * once per external id, with what its channel keeps beside it, in one transaction made durable off
     * the event loop; then fanned out like a chat message.
     */
    async storeChannelMessage<Placed extends ChannelMessage>(delivery: ChannelDelivery<Placed>): Promise<StoredMessage> {
      const { placed, stored } = await storage.commitDurably(async (tx) => {
        const placed = await delivery.place(tx);
        const stored = await tx.conversations.insertMessage({
          conversationId: placed.conversationId,
          author: placed.author,
          body: placed.body,
          channel: placed.channel,
          externalId: placed.externalId,
          otherSender: placed.otherSender ?? null,
          attachments: placed.attachments ?? null,
          deliveryState: placed.deliveryState ?? null,
          automatic: placed.automatic ?? false,
          now: placed.createdAt,
        });
        if (!stored.duplicate) await delivery.alongside?.(tx, stored, placed);
        return { placed, stored };
      });
      if (!stored.duplicate) await announce(stored.message, (await requireConversation(placed.conversationId)).visitorId);
      return stored;
    },

    /**
     * An agent replied from the inbox: personalization tags are filled in, the channel is checked
     * (chat, or one a channel module registered), then it is stored, queued for delivery in the same
     * transaction, and fanned out. Throws ReplyTagError / ReplyRefusedError before storing anything.
     */
    async storeAgentReply(input: AgentReply): Promise<ChatMessage> {
      const conversation = await summary(input.conversationId);
      if (!conversation) throw new ConversationNotFoundError(`No conversation ${input.conversationId}`);
      const channel = input.channel ?? defaultReplyChannel(conversation, channelSupport(), fanOut.agentsOnline());
      const option = replyChannelOptions(conversation, channelSupport()).find((o) => o.channel === channel);
      if (!option) throw new ReplyRefusedError(`This conversation cannot be answered by ${channel}`);
      if (!option.enabled) throw new ReplyRefusedError(option.reason ?? `${option.label} is not available`);
      const options: ReplyOptions = { messengerTag: input.messengerTag, transcript: input.transcript };
      const delivery = channel === 'chat' ? undefined : outbound[channel];
      await delivery?.check(conversation, options);
      const filled = fillTags(input.body, { ...(await store.tagValuesFor(conversation.id)), agent: { name: input.agent.name } });
      if (!filled.ok) throw new ReplyTagError(filled.error);
      const { message, duplicate } = await storage.transaction(async (tx) => {
        const stored = await tx.conversations.insertMessage({
          conversationId: conversation.id,
          author: 'agent',
          agentId: input.agent.id,
          body: filled.text,
          clientId: input.clientId ?? null,
          channel,
          deliveryState: delivery ? 'queued' : null,
          attachments: input.files?.attachments,
        });
        if (!stored.duplicate) {
          if (input.files) await tx.attachments.linkToMessage(input.files.ids, stored.message.id);
          await delivery?.enqueue(tx, stored.message, conversation, options);
          // Whoever answers an unowned conversation owns it: no second agent answers it too.
          await tx.conversations.assignIfUnassigned(conversation.id, input.agent.id);
        }
        return stored;
      });
      if (!duplicate) {
        const after = (await announce(message, conversation.visitorId)) ?? conversation;
        delivery?.dispatch(message, options);
        for (const listener of listeners) await listener.agentReplied?.(message, after);
      }
      return message;
    },

    /** A channel's delivery report for an outgoing message: stored, and every agent sees it change. */
    async updateDelivery(messageId: number, change: DeliveryChange): Promise<void> {
      await store.updateDelivery(messageId, change);
      const message = await store.messageById(messageId);
      if (!message) return;
      publishUpdated(message);
    },

    /**
     * Its sender edited a message (Messenger): the new text replaces the old, on disk before this
     * resolves, and every agent sees it change with its edited time. An edit older than the one stored
     * changes nothing. The body must already be bounded by the channel.
     */
    async editMessage(messageId: number, edit: { body: string; editedAt: number }): Promise<void> {
      const edited = await storage.commitDurably((tx) => tx.conversations.editMessage(messageId, edit.body, edit.editedAt));
      if (!edited) return;
      const message = await store.messageById(messageId);
      if (!message) return;
      publishUpdated(message);
      // The list's preview shows the new words if this was the latest message.
      await news(async () => {
        const conversation = await summary(message.conversationId);
        if (conversation) fanOut.toAgents({ type: 'conversation', conversation });
      });
    },

    /**
     * Someone reacted to a message or took a reaction back: `change` gets the current reactions and
     * returns the new ones, read and written in one transaction (on disk before this resolves); every
     * agent sees the message change.
     */
    updateReactions(messageId: number, change: (current: Reaction[]) => Reaction[]): Promise<void> {
      return rewriteMessage(messageId, (tx, current) => tx.conversations.setReactions(messageId, change(current.reactions ?? [])));
    },

    /**
     * A message's files changed after it was stored (a Messenger file copied into our store, or not):
     * `change` gets the list as stored and returns the new one, inside a transaction made durable
     * off the event loop; then every agent sees the message again.
     */
    updateAttachments(messageId: number, change: (tx: Stores, current: Attachment[]) => Promise<Attachment[]>): Promise<void> {
      return rewriteMessage(messageId, async (tx, current) =>
        tx.attachments.setMessageAttachments(messageId, await change(tx, current.attachments ?? [])),
      );
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
    async markRead(conversationId: number): Promise<ConversationSummary> {
      await requireConversation(conversationId);
      await store.markReadByAgents(conversationId);
      return publishConversation(conversationId);
    },

    async setStatus(conversationId: number, status: 'open' | 'complete'): Promise<ConversationSummary> {
      await requireConversation(conversationId);
      await store.setStatus(conversationId, status);
      return publishConversation(conversationId);
    },

    /** Gives the conversation to an active agent, or to nobody (null); every agent sees the new owner. */
    async assign(conversationId: number, agentId: number | null): Promise<ConversationSummary> {
      await requireConversation(conversationId);
      if (agentId !== null && !(await storage.agents.profile(agentId))) throw new AssigneeNotFoundError('No such agent');
      await store.setAssignee(conversationId, agentId);
      return publishConversation(conversationId);
    },

    /** A participant's details changed outside any message (a Messenger profile name learned later). */
    refreshConversation(conversationId: number): Promise<ConversationSummary> {
      return publishConversation(conversationId);
    },

    /** The visitor's widget showed messages up to this seq (a message id from a panel built before seq). */
    async seenByVisitor(visitorId: number, upTo: VisitorPosition): Promise<void> {
      const conversationId = await store.conversationIdOfVisitor(visitorId);
      if (conversationId === null) return;
      const seq = 'seq' in upTo ? upTo.seq : await store.seqAtMessageId(conversationId, upTo.messageId);
      await store.markSeenByVisitor(conversationId, seq);
      for (const listener of listeners) await listener.visitorSaw?.(conversationId, seq);
    },

    /** The visitor said who they are: a proven address joins its contact, a typed one stays a claim. */
    async identify(visitorId: number, input: VisitorIdentity): Promise<void> {
      // The same identify again (every page load of a signed-in site sends one) tells agents nothing.
      if (!(await store.identifyVisitor(visitorId, input))) return;
      const conversationId = await store.conversationIdOfVisitor(visitorId);
      if (conversationId === null) return;
      const summary = await publishConversation(conversationId);
      if (input.email) for (const listener of listeners) await listener.visitorIdentified?.(summary);
    },

    /** A visitor's first socket here opened or their last closed: the visit is recorded (the green dot follows the fan-out's presence). */
    visitSeen(visitorId: number, visit: Partial<Visit> = {}): void {
      visits.seen(visitorId, visit);
    },

    /** The visitor's draft, for the agents' live preview ('' when cleared); fleeting, so not waited for. */
    visitorTyping(visitorId: number, preview: string): Promise<void> {
      return inTurn(async () => {
        const conversationId = await store.conversationIdOfVisitor(visitorId);
        if (conversationId !== null) fanOut.toAgents({ type: 'visitorTyping', conversationId, preview });
      });
    },

    /** "Ada is typing…" in the widget; `agentName: null` when they stopped. */
    agentTyping(conversationId: number, agentName: string | null): Promise<void> {
      return inTurn(async () => {
        const conversation = await store.conversationById(conversationId);
        if (conversation) fanOut.toVisitor(conversation.visitorId, { type: 'typing', agentName });
      });
    },

    /**
     * The visitor's messages after `since`, for the welcome frame: `withHistory(head)` answers the
     * frame's UTF-8 JSON, `head`'s members and then `history`, the messages as the store serialised
     * them. A whole thread (since 0) comes from the cache, and so does the last frame built around it.
     * `seenUpToId` is the seen watermark as an id, for a panel built before seq (`since` by message id).
     */
    async visitorThread(
      visitorId: number,
      since: VisitorPosition = { seq: 0 },
    ): Promise<{ seenUpToSeq: number; seenUpToId?: number; withHistory: (head: object) => Promise<Buffer> }> {
      const conversation = await store.conversationOfVisitor(visitorId);
      const fromOldPanel = 'messageId' in since;
      if (!conversation) {
        return {
          seenUpToSeq: 0,
          seenUpToId: fromOldPanel ? 0 : undefined,
          withHistory: async (head) => withTail(openingBefore('history', head), '[]'),
        };
      }
      const id = conversation.id;
      const sinceSeq = !fromOldPanel ? since.seq : since.messageId === 0 ? 0 : await store.seqAtMessageId(id, since.messageId);
      const seenUpToSeq = conversation.visitorSeenSeq;
      return {
        seenUpToSeq,
        seenUpToId: fromOldPanel ? await store.messageIdAtSeq(id, seenUpToSeq) : undefined,
        withHistory: async (head) => {
          const opening = openingBefore('history', head);
          return sinceSeq === 0
            ? visitorThreads.enclosed(id, opening, () => store.visitorHistoryJson(id))
            : withTail(opening, await store.visitorHistoryJson(id, sinceSeq));
        },
      };
    },

    /** One page of the list; `assigned: 'me'` is `agentId`'s conversations. */
    list(
      query: Omit<ListQuery, 'assigneeId'> & { assigned?: 'anyone' | 'me' | 'unassigned' },
      agentId: number,
    ): Promise<ConversationPage> {
      const { assigned = 'anyone', ...page } = query;
      const assigneeId = assigned === 'me' ? agentId : assigned === 'unassigned' ? null : undefined;
      return store.list({ ...page, assigneeId }, isOnline);
    },

    summary,

    /**
     * A ConversationDetail as UTF-8 JSON: the thread is serialised by SQLite and cached as bytes
     * (historyCache.ts), and so is the last response built around it, so reloading a conversation
     * whose list row and contact panel have not changed copies nothing.
     */
    async detailJson(conversationId: number): Promise<Buffer<ArrayBuffer> | null> {
      // Side by side: on PostgreSQL each is a round trip of its own.
      const [notes, conversation, contact] = await Promise.all([
        storage.notes.ofConversation(conversationId),
        summary(conversationId),
        store.contactPanel(conversationId, (visitorId) => visits.pending(visitorId)),
      ]);
      if (!conversation || !contact) return null;
      // Notes go in the opening, not the cached thread: a new note rebuilds the response, never the thread.
      const opening = openingBefore('messages', { conversation, contact, notes });
      return threads.enclosed(conversationId, opening, () => store.historyJson(conversationId));
    },

    /** Resolves once every visitor message received so far is committed, on disk and acknowledged. */
    chatDrained(): Promise<void> {
      return chatMessages.drained();
    },

    /** Flushes batched writes; call before the database closes. */
    async stop(): Promise<void> {
      clearTimeout(unreadTimer);
      await visits.stop();
      // Frames already queued still go out (to whoever is still connected).
      await news(async () => {});
    },
  };
}
