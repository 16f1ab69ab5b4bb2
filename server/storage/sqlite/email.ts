// The EmailStore (../email.ts) in SQLite: the email_outbox table, the follow-up timer and reply token
// on each conversation, contacts and email participants, inbound_emails, and raw sources (rawSources.ts).
// Messages themselves are written by the conversation service alone.
import type { Synchronous } from './asyncStores';
import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, max, or, sql } from 'drizzle-orm';
import type { ChatMessage } from '../../../shared/protocol';
import { schema, type Db } from '../../db';
import { contactAddress, type EmailStore, type InboundEmailOriginal, type NewInboundEmailRow, type NewOutboxRow, type OutboxRow } from '../email';
import { messageById } from './conversations';
import { deleteRawSource, rawSourceBytes, storeRawSource } from './rawSources';

const { contacts, conversations, emailOutbox, inboundEmails, messages, visitors } = schema;

// The outbox.

export function queueEmail(db: Db, row: NewOutboxRow): OutboxRow {
  return db.insert(emailOutbox).values(row).returning().get();
}

export function claimDueEmail(db: Db, now: number, leaseMs: number): OutboxRow | null {
  const due = and(eq(emailOutbox.status, 'queued'), lte(emailOutbox.nextAttemptAt, now));
  // A read first, so an idle poll writes nothing (and works while the database takes no writes).
  const first = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(due)
    .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
    .limit(1)
    .get();
  if (!first) return null;
  // The claim repeats the condition: if another worker took the row since the read, nothing changes.
  return (
    db
      .update(emailOutbox)
      .set({ nextAttemptAt: now + leaseMs })
      .where(and(eq(emailOutbox.id, first.id), due))
      .returning()
      .get() ?? null
  );
}

export function updateOutboxEmail(db: Db, id: number, change: Partial<OutboxRow>): OutboxRow {
  return db.update(emailOutbox).set(change).where(eq(emailOutbox.id, id)).returning().get()!;
}

/** Settings → Outbox: newest first, paged by id. */
export function outboxNewestFirst(db: Db, query: { before?: number; limit: number }): OutboxRow[] {
  return db
    .select()
    .from(emailOutbox)
    .where(query.before ? lt(emailOutbox.id, query.before) : undefined)
    .orderBy(desc(emailOutbox.id))
    .limit(query.limit)
    .all();
}

/** Served by email_outbox(to_address, created_at). */
export function emailsSentToSince(db: Db, address: string, since: number): number {
  return (
    db
      .select({ n: count() })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.toAddress, address), gt(emailOutbox.createdAt, since)))
      .get()?.n ?? 0
  );
}

/** The newest email we sent with one of these Message-IDs (served by email_outbox_message_id_header_idx). */
export function outboxByMessageIds(db: Db, ids: string[]): OutboxRow | null {
  if (ids.length === 0) return null;
  return db.select().from(emailOutbox).where(inArray(emailOutbox.messageIdHeader, ids)).orderBy(desc(emailOutbox.id)).get() ?? null;
}

/** Not indexed (no migration in this change): one scan of the outbox per provider event. */
export function outboxByProviderId(db: Db, providerId: string): OutboxRow | null {
  return db.select().from(emailOutbox).where(eq(emailOutbox.providerId, providerId)).orderBy(desc(emailOutbox.id)).get() ?? null;
}

// Threading.

/**
 * Inbound emails are stored under `<message-id> <from address>`: the Message-ID first, so "any email
 * with this Message-ID" is a range on messages_external_id_idx (ids are `<…>` without spaces; rows
 * stored before sender scoping, the bare Message-ID, fall in the same range).
 */
export const inboundExternalId = (messageId: string, fromAddress: string): string => `${messageId} ${fromAddress}`;
const messageIdOfExternalId = (externalId: string) => externalId.split(' ')[0]!;
const externalIdsWithMessageId = (ids: string[]) =>
  or(...ids.map((id) => and(gte(messages.externalId, id), lt(messages.externalId, `${id}!`))));

export function replyToken(db: Db, conversationId: number): string | null {
  const row = db.select({ token: conversations.replyToken }).from(conversations).where(eq(conversations.id, conversationId)).get();
  return row?.token ?? null;
}

export function setReplyToken(db: Db, conversationId: number, token: string): void {
  db.update(conversations)
    .set({ replyToken: token })
    .where(and(eq(conversations.id, conversationId), isNull(conversations.replyToken)))
    .run();
}

/** Every Message-ID this conversation's email exchange has used so far, oldest first. */
export function earlierMessageIds(db: Db, conversationId: number): string[] {
  const sent = db
    .select({ id: emailOutbox.messageIdHeader, at: emailOutbox.createdAt })
    .from(emailOutbox)
    .where(eq(emailOutbox.conversationId, conversationId))
    .all();
  const received = db
    .select({ id: messages.externalId, at: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.channel, 'email'), isNotNull(messages.externalId)))
    .orderBy(asc(messages.id))
    .all();
  return [...sent, ...received]
    .sort((a, b) => a.at - b.at)
    .map((r) => (r.id ? messageIdOfExternalId(r.id) : null))
    .filter((id): id is string => Boolean(id));
}

export function conversationByReplyToken(db: Db, token: string): number | null {
  return db.select({ id: conversations.id }).from(conversations).where(eq(conversations.replyToken, token)).get()?.id ?? null;
}

/** The conversation of the newest of these Message-IDs that we sent or received. */
export function conversationByMessageIds(db: Db, ids: string[]): number | null {
  if (ids.length === 0) return null;
  const sent = db
    .select({ conversationId: emailOutbox.conversationId })
    .from(emailOutbox)
    .where(inArray(emailOutbox.messageIdHeader, ids))
    .orderBy(desc(emailOutbox.id))
    .get();
  if (sent) return sent.conversationId;
  const received = db
    .select({ conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.channel, 'email'), externalIdsWithMessageId(ids)))
    .orderBy(desc(messages.id))
    .get();
  return received?.conversationId ?? null;
}

/** Whether one of these Message-IDs is an email we sent to `address` in this conversation. */
export function sentTo(db: Db, conversationId: number, address: string, messageIds: string[]): boolean {
  if (messageIds.length === 0) return false;
  return Boolean(
    db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.conversationId, conversationId),
          eq(emailOutbox.toAddress, address),
          inArray(emailOutbox.messageIdHeader, messageIds),
        ),
      )
      .get(),
  );
}

/** The subject of the newest email a person (not a machine) sent into this conversation, or null. */
export function latestInboundSubject(db: Db, conversationId: number): string | null {
  const row = db
    .select({ subject: inboundEmails.subject })
    .from(inboundEmails)
    .innerJoin(messages, eq(messages.id, inboundEmails.messageId))
    .where(and(eq(messages.conversationId, conversationId), eq(messages.automatic, false)))
    .orderBy(desc(inboundEmails.id))
    .get();
  return row?.subject ?? null;
}

// Follow-ups.

export function scheduleFollowup(db: Db, conversationId: number, dueAt: number): void {
  db.update(conversations).set({ emailFollowupAt: dueAt }).where(eq(conversations.id, conversationId)).run();
}

/** Like scheduleFollowup, but a timer already running keeps its time (a widget re-identifies on every reconnect). */
export function scheduleFollowupUnlessPending(db: Db, conversationId: number, dueAt: number): void {
  db.update(conversations)
    .set({ emailFollowupAt: sql`coalesce(${conversations.emailFollowupAt}, ${dueAt})` })
    .where(eq(conversations.id, conversationId))
    .run();
}

export function followupPending(db: Db, conversationId: number): boolean {
  const pending = db
    .select({ at: conversations.emailFollowupAt })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .get();
  return pending?.at != null;
}

export function clearFollowup(db: Db, conversationId: number): void {
  db.update(conversations)
    .set({ emailFollowupAt: null })
    .where(and(eq(conversations.id, conversationId), isNotNull(conversations.emailFollowupAt)))
    .run();
}

export function dueFollowups(db: Db, now: number): number[] {
  return db
    .select({ id: conversations.id })
    .from(conversations)
    .where(lte(conversations.emailFollowupAt, now))
    .all()
    .map((row) => row.id);
}

export function takeDueFollowup(db: Db, conversationId: number, now: number): boolean {
  const cleared = db
    .update(conversations)
    .set({ emailFollowupAt: null })
    .where(and(eq(conversations.id, conversationId), lte(conversations.emailFollowupAt, now)))
    .run();
  return cleared.changes > 0;
}

/** Agent chat replies the visitor has not seen and no follow-up has carried yet, oldest first. */
export function unseenReplies(db: Db, conversationId: number): ChatMessage[] {
  const conversation = db
    .select({ seen: conversations.visitorSeenSeq })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .get();
  // Both watermarks count in seq, the conversation's own order: ids may commit out of order.
  const lastEmailed =
    db
      .select({ seq: max(messages.seq) })
      .from(emailOutbox)
      .innerJoin(messages, eq(messages.id, emailOutbox.messageId))
      .where(and(eq(emailOutbox.conversationId, conversationId), eq(emailOutbox.kind, 'followup')))
      .get()?.seq ?? 0;
  const after = Math.max(conversation?.seen ?? 0, lastEmailed);
  return db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(eq(messages.conversationId, conversationId), eq(messages.author, 'agent'), eq(messages.channel, 'chat'), gt(messages.seq, after)),
    )
    .orderBy(messages.seq)
    .all()
    .map((row) => messageById(db, row.id))
    .filter((m): m is ChatMessage => m !== null);
}

// Who writes in.

/** The contact for this address (one per address, case-insensitive), created on first mail. */
export function contactFor(db: Db, address: string, name: string | null): number {
  const email = contactAddress(address);
  db.insert(contacts).values({ email, name }).onConflictDoNothing().run();
  return db.select({ id: contacts.id }).from(contacts).where(eq(contacts.email, email)).get()!.id;
}

export function nameUnnamedContact(db: Db, address: string, name: string): void {
  db.update(contacts)
    .set({ name })
    .where(and(eq(contacts.email, contactAddress(address)), or(isNull(contacts.name), eq(contacts.name, ''))))
    .run();
}

/** The contact's latest open conversation on any of their participants (widget visits included). */
export function latestOpenConversationOf(db: Db, contactId: number): number | null {
  return (
    db
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
      .where(and(eq(visitors.contactId, contactId), eq(conversations.status, 'open')))
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .get()?.id ?? null
  );
}

/** The contact's email participant, created the first time they write by email. */
export function emailParticipantOf(db: Db, contactId: number, now: number): number {
  const existing = db
    .select({ id: visitors.id })
    .from(visitors)
    .where(and(eq(visitors.contactId, contactId), eq(visitors.kind, 'email')))
    .get();
  if (existing) return existing.id;
  return db.insert(visitors).values({ kind: 'email', contactId, lastSeenAt: now }).returning({ id: visitors.id }).get().id;
}

// What arrived.

export function recordInboundEmail(db: Db, row: NewInboundEmailRow): void {
  db.insert(inboundEmails).values(row).run();
}

export function inboundEmailOf(db: Db, messageId: number): InboundEmailOriginal | null {
  return (
    db
      .select({ subject: inboundEmails.subject, originalText: inboundEmails.originalText, rawSourceId: inboundEmails.rawSourceId })
      .from(inboundEmails)
      .where(eq(inboundEmails.messageId, messageId))
      .get() ?? null
  );
}

export function sqliteEmailStore(db: Db): Synchronous<EmailStore> {
  return {
    queueEmail: (row) => queueEmail(db, row),
    claimDueEmail: (now, leaseMs) => claimDueEmail(db, now, leaseMs),
    updateOutboxEmail: (id, change) => updateOutboxEmail(db, id, change),
    outboxNewestFirst: (query) => outboxNewestFirst(db, query),
    emailsSentToSince: (address, since) => emailsSentToSince(db, address, since),
    outboxByMessageIds: (ids) => outboxByMessageIds(db, ids),
    outboxByProviderId: (providerId) => outboxByProviderId(db, providerId),
    replyToken: (conversationId) => replyToken(db, conversationId),
    setReplyToken: (conversationId, token) => setReplyToken(db, conversationId, token),
    earlierMessageIds: (conversationId) => earlierMessageIds(db, conversationId),
    conversationByReplyToken: (token) => conversationByReplyToken(db, token),
    conversationByMessageIds: (ids) => conversationByMessageIds(db, ids),
    sentTo: (conversationId, address, messageIds) => sentTo(db, conversationId, address, messageIds),
    latestInboundSubject: (conversationId) => latestInboundSubject(db, conversationId),
    scheduleFollowup: (conversationId, dueAt) => scheduleFollowup(db, conversationId, dueAt),
    scheduleFollowupUnlessPending: (conversationId, dueAt) => scheduleFollowupUnlessPending(db, conversationId, dueAt),
    followupPending: (conversationId) => followupPending(db, conversationId),
    clearFollowup: (conversationId) => clearFollowup(db, conversationId),
    dueFollowups: (now) => dueFollowups(db, now),
    takeDueFollowup: (conversationId, now) => takeDueFollowup(db, conversationId, now),
    unseenReplies: (conversationId) => unseenReplies(db, conversationId),
    contactFor: (address, name) => contactFor(db, address, name),
    nameUnnamedContact: (address, name) => nameUnnamedContact(db, address, name),
    latestOpenConversationOf: (contactId) => latestOpenConversationOf(db, contactId),
    emailParticipantOf: (contactId, now) => emailParticipantOf(db, contactId, now),
    inboundExternalId,
    recordInboundEmail: (row) => recordInboundEmail(db, row),
    storeRawSource: (bytes) => storeRawSource(db, bytes),
    deleteRawSource: (id) => deleteRawSource(db, id),
    inboundEmailOf: (messageId) => inboundEmailOf(db, messageId),
    // Buffer.concat gives a fresh buffer of its own, never a shared one.
    rawSourceBytes: (id) => rawSourceBytes(db, id) as Uint8Array<ArrayBuffer> | null,
  };
}
