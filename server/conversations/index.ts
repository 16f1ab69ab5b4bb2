// The one path every message takes: store it, update its conversation, fan it out to agents and to
// the visitor's open tabs. Channels (chat today; email and Messenger later) only translate into
// these calls; none of them writes messages or talks to sockets on its own.
import type { ChatMessage, ConversationPage } from '../../shared/protocol';
import { inTransaction, type Db } from '../db';
import type { Hub } from '../realtime/hub';
import { HistoryCache } from './historyCache';
import { LastSeenRecorder } from './lastSeen';
import { createBatchWriter } from './inboundBatch';
import { conversationList, conversationSummary } from './list';
import {
  conversationById,
  conversationOfVisitor,
  createConversation,
  historyJson,
  identifyVisitor,
  insertMessage,
  markSeenByVisitor,
} from './store';
import type { WebSocket } from 'ws';

export * from './store';

export class ConversationNotFoundError extends Error {}

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

export type Conversations = ReturnType<typeof createConversations>;

export function createConversations(db: Db, hub: Hub) {
  const isOnline = (visitorId: number) => hub.isOnline(visitorId);
  const threads = new HistoryCache();
  const lastSeen = new LastSeenRecorder(db);
  const fullThread = (conversationId: number) => threads.get(conversationId, () => historyJson(db, conversationId));

  function publish(message: ChatMessage, visitorId: number, fromSocket?: WebSocket): void {
    const conversation = conversationSummary(db, message.conversationId, isOnline);
    if (conversation) hub.toAgents({ type: 'message', message, conversation });
    hub.toVisitor(visitorId, { type: 'message', message }, fromSocket);
  }

  /** Visitor messages are group-committed: one transaction per event-loop turn, each in a savepoint. */
  const inbound = createBatchWriter<InboundMessage, StoredMessage>((items) =>
    inTransaction(db, () =>
      items.map((input) => {
        try {
          return inTransaction(db, () => {
            const conversation = conversationOfVisitor(db, input.visitorId) ?? createConversation(db, input.visitorId);
            return insertMessage(db, {
              conversationId: conversation.id,
              author: 'visitor',
              body: input.body,
              clientId: input.clientId,
            });
          });
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    ),
    // Fan the whole batch out with agent sockets corked: one write per agent per batch.
    (items, results) =>
      hub.corked(() =>
        results.forEach((stored, i) => {
          const input = items[i];
          if (!input || stored instanceof Error || stored.duplicate) return;
          threads.invalidate(stored.message.conversationId);
          publish(stored.message, input.visitorId, input.fromSocket);
        }),
      ),
  );

  return {
    /**
     * A visitor wrote: store it (once per clientId), reopen the conversation, fan it out. Resolves
     * after the commit, so the caller can acknowledge a message that is on disk.
     */
    storeInboundMessage(input: InboundMessage): Promise<StoredMessage> {
      return inbound.add(input);
    },

    /** An agent replied from the inbox. */
    storeAgentReply(input: { conversationId: number; agentId: number; body: string; clientId?: string }) {
      const conversation = conversationById(db, input.conversationId);
      if (!conversation) throw new ConversationNotFoundError(`No conversation ${input.conversationId}`);
      const { message, duplicate } = inTransaction(db, () => insertMessage(db, {
        conversationId: conversation.id,
        author: 'agent',
        agentId: input.agentId,
        body: input.body,
        clientId: input.clientId ?? null,
      }));
      if (!duplicate) {
        threads.invalidate(conversation.id);
        publish(message, conversation.visitorId);
      }
      return message;
    },

    /** The visitor's widget showed messages up to this id. */
    seenByVisitor(visitorId: number, messageId: number): void {
      const conversation = conversationOfVisitor(db, visitorId);
      if (conversation) markSeenByVisitor(db, conversation.id, messageId);
    },

    identify(visitorId: number, input: { email?: string; name?: string }): void {
      identifyVisitor(db, visitorId, input);
      const conversation = conversationOfVisitor(db, visitorId);
      const summary = conversation && conversationSummary(db, conversation.id, isOnline);
      if (summary) hub.toAgents({ type: 'conversation', conversation: summary });
    },

    /** Tells agents a visitor's green dot turned on or off. */
    presenceChanged(visitorId: number, online: boolean): void {
      lastSeen.seen(visitorId);
      const conversation = conversationOfVisitor(db, visitorId);
      if (conversation) hub.toAgents({ type: 'presence', conversationId: conversation.id, online });
    },

    /** The visitor's messages after `sinceId` as JSON text (sent as-is in the welcome frame). */
    visitorThread(visitorId: number, sinceId = 0): { historyJson: string; seenUpTo: number } {
      const conversation = conversationOfVisitor(db, visitorId);
      if (!conversation) return { historyJson: '[]', seenUpTo: 0 };
      const json = sinceId === 0 ? fullThread(conversation.id) : historyJson(db, conversation.id, sinceId);
      return { historyJson: json, seenUpTo: conversation.visitorSeenMessageId };
    },

    /** Flushes batched writes; call before the database closes. */
    stop(): void {
      lastSeen.stop();
    },

    list(query: { status: 'open' | 'complete' | 'all'; cursor?: string; limit: number }): ConversationPage {
      return conversationList(db, query, isOnline);
    },

    /** A ConversationDetail as JSON text: the thread is serialised by SQLite, not re-encoded here. */
    detailJson(conversationId: number): string | null {
      const conversation = conversationSummary(db, conversationId, isOnline);
      if (!conversation) return null;
      return `{"conversation":${JSON.stringify(conversation)},"messages":${fullThread(conversationId)}}`;
    },
  };
}
