// What the email channel keeps: the outbox (the durable queue of emails to send), follow-up timers,
// reply tokens, the contacts and participants mail creates, and each inbound email's headers and
// original bytes. Messages themselves go through the conversation service. sqlite/email.ts implements it.
import type { ChatMessage } from '../../shared/protocol';
import type { schema } from '../db';

export type OutboxRow = typeof schema.emailOutbox.$inferSelect;
export type NewOutboxRow = typeof schema.emailOutbox.$inferInsert;
/** An inbound email's headers and text, kept beside the message it became. */
export type NewInboundEmailRow = typeof schema.inboundEmails.$inferInsert;

export interface EmailStore {
  // The outbox.
  /** Queues an email; inside the transaction of the reply it carries, when there is one. */
  queueEmail(row: NewOutboxRow): Promise<OutboxRow>;
  /**
   * Claims the queued email that came due first (then in queue order), or returns null: its next
   * attempt moves to `now + leaseMs` in the same statement, so no other worker, in this process or
   * another, takes it while it is being sent, and a process that dies holding it delays it by the
   * lease only. The worker then records the outcome, which ends the lease.
   */
  claimDueEmail(now: number, leaseMs: number): Promise<OutboxRow | null>;
  updateOutboxEmail(id: number, change: Partial<OutboxRow>): Promise<OutboxRow>;
  /** Up to `limit` emails, newest first, older than the id `before` when given. */
  outboxNewestFirst(query: { before?: number; limit: number }): Promise<OutboxRow[]>;
  /** How many emails went to this address (from any conversation) after `since`. */
  emailsSentToSince(address: string, since: number): Promise<number>;
  /** The newest email we sent with one of these Message-IDs (what a bounce returns), or null. */
  outboxByMessageIds(ids: string[]): Promise<OutboxRow | null>;
  /** The email the provider knows by this id (Resend's `email_id`), or null. */
  outboxByProviderId(providerId: string): Promise<OutboxRow | null>;

  // Threading: what lets an answer find its conversation.
  /** The conversation's reply token, or null before its first email. */
  replyToken(conversationId: number): Promise<string | null>;
  /** Sets the token unless the conversation has one already (another process may set it first: read it back). */
  setReplyToken(conversationId: number, token: string): Promise<void>;
  /** Every Message-ID this conversation's email exchange has used so far, oldest first. */
  earlierMessageIds(conversationId: number): Promise<string[]>;
  conversationByReplyToken(token: string): Promise<number | null>;
  /** The conversation of the newest of these Message-IDs that we sent or received. */
  conversationByMessageIds(ids: string[]): Promise<number | null>;
  /** Whether one of these Message-IDs is an email we sent to `address` in this conversation. */
  sentTo(conversationId: number, address: string, messageIds: string[]): Promise<boolean>;
  /** The subject of the newest email a person (not a machine) sent into this conversation, or null. */
  latestInboundSubject(conversationId: number): Promise<string | null>;

  // Follow-ups of unseen chat replies: a timer kept in the conversation.
  scheduleFollowup(conversationId: number, dueAt: number): Promise<void>;
  /** Like scheduleFollowup, but a timer already running keeps its time. */
  scheduleFollowupUnlessPending(conversationId: number, dueAt: number): Promise<void>;
  followupPending(conversationId: number): Promise<boolean>;
  /** No timer: the visitor saw the replies, or the follow-up is being queued. */
  clearFollowup(conversationId: number): Promise<void>;
  /** Conversations whose follow-up came due by `now`. */
  dueFollowups(now: number): Promise<number[]>;
  /**
   * Clears a follow-up that is still due by `now`; true for the one caller that cleared it, who then
   * queues its email (in the same transaction). Another worker that saw it due gets false; a timer
   * restarted since by a new reply is left running.
   */
  takeDueFollowup(conversationId: number, now: number): Promise<boolean>;
  /** Agent chat replies the visitor has not seen and no follow-up has carried yet, oldest first. */
  unseenReplies(conversationId: number): Promise<ChatMessage[]>;

  // Who writes in: mail creates a contact per address (kept as contactAddress gives it), and an email participant for it.
  /**
   * The contact for this address (one per address, case-insensitive), created on first mail. Held by
   * the caller's transaction until it commits, so another process's email from the same contact waits
   * and then finds the conversation this one opened.
   */
  contactFor(address: string, name: string | null): Promise<number>;
  /** A contact known without a name takes this one (from their From header); a name they have stays. */
  nameUnnamedContact(address: string, name: string): Promise<void>;
  /** The contact's latest open conversation on any of their participants (widget visits included). */
  latestOpenConversationOf(contactId: number): Promise<number | null>;
  /** The contact's email participant, created the first time they write by email. */
  emailParticipantOf(contactId: number, now: number): Promise<number>;

  // What arrived.
  /**
   * The id an inbound email is stored under (messages.external_id): its Message-ID scoped to its
   * sender, since another sender may reuse a Message-ID; the same email delivered again has the same one.
   */
  inboundExternalId(messageId: string, fromAddress: string): Promise<string>;
  /** Call inside the transaction of the message the email became. */
  recordInboundEmail(row: NewInboundEmailRow): Promise<void>;
  /**
   * Keeps an email's bytes exactly as they arrived and resolves with their id, leaving the event loop
   * free while large ones are written. Not durable on its own: the commit of the row that points at
   * it covers it.
   */
  storeRawSource(bytes: Uint8Array): Promise<number>;
  /** Drops a source nothing points at (the email turned out to be a duplicate). */
  deleteRawSource(id: number): Promise<void>;
  /** The email a message came from (its whole text as read, and its source's id), or null for any other message. */
  inboundEmailOf(messageId: number): Promise<InboundEmailOriginal | null>;
  /** A kept source's bytes, whole, or null. */
  rawSourceBytes(id: number): Promise<Uint8Array<ArrayBuffer> | null>;
}

/** What "Show original" reads of an inbound email. */
export interface InboundEmailOriginal {
  subject: string;
  originalText: string;
  rawSourceId: number | null;
}

/** How a contact's address is kept and looked up: one contact per address whatever its letter case. */
export const contactAddress = (address: string) => address.toLowerCase();
