// The EmailStore (../email.ts) in PostgreSQL: the email_outbox table, the follow-up timer and reply token
// on each conversation, contacts and email participants, inbound_emails, and raw sources
// (rawSources.ts). The same answers as sqlite/email.ts; what SQLite got from being the only writer,
// this gets from PostgreSQL's locks, since several Parley processes share the database:
// - an outbox claim locks the row it takes (`for update skip locked`) and moves its lease in one
//   statement, so two workers never take one email;
// - a follow-up is taken by a conditional update, which a second taker waits on and then finds done;
// - a contact is inserted `on conflict do nothing` on its unique address (stored lower-case), then read;
// - an email participant is created under its contact's row lock (no unique constraint says one per
//   contact), and a reply token is only set on a conversation that has none, so the first one stays.
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, max, or, sql } from 'drizzle-orm';
import type { ChatMessage } from '../../../shared/protocol';
import type { PgDb } from '../../db/pg/open';
import { contacts, conversations, emailOutbox, inboundEmails, messages, visitors } from '../../db/pg/schema';
import { contactAddress, type EmailStore, type OutboxRow } from '../email';
import { pgConversationStore } from './conversations';
import { deleteRawSource, rawSourceBytes, storeRawSource } from './rawSources';

/** As sqlite/email.ts: the Message-ID first, then the sender, so "any email with this Message-ID" is a prefix. */
const inboundExternalId = (messageId: string, fromAddress: string): string => `${messageId} ${fromAddress}`;
const messageIdOfExternalId = (externalId: string) => externalId.split(' ')[0]!;

/**
 * External ids with one of these Message-IDs: `id` itself (rows stored before sender scoping) and
 * `id <sender>`, as SQLite's range [id, id + '!'). Compared byte by byte (collate "C") so the range
 * means the same whatever the database's collation; a linguistic one would skip the space.
 */
const externalIdsWithMessageId = (ids: string[]) =>
  or(...ids.map((id) => sql`(${messages.externalId} collate "C" >= ${id} and ${messages.externalId} collate "C" < ${`${id}!`})`));

export function pgEmailStore(db: PgDb): EmailStore {
  const first = <T>(rows: T[]): T | null => rows[0] ?? null;

  return {
    // The outbox.

    async queueEmail(row) {
      const [queued] = await db.insert(emailOutbox).values(row).returning();
      return queued!;
    },

    async claimDueEmail(now, leaseMs) {
      // One statement: the subquery locks the first due row no one else holds (a row another worker
      // is claiming is skipped, not waited on), and the update moves its lease. Nothing due: no write.
      const due = db
        .select({ id: emailOutbox.id })
        .from(emailOutbox)
        .where(and(eq(emailOutbox.status, 'queued'), lte(emailOutbox.nextAttemptAt, now)))
        .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
        .limit(1)
        .for('update', { skipLocked: true });
      const claimed = await db
        .update(emailOutbox)
        .set({ nextAttemptAt: now + leaseMs })
        .where(eq(emailOutbox.id, sql`(${due})`))
        .returning();
      return first(claimed);
    },

    async updateOutboxEmail(id, change) {
      const [updated] = await db.update(emailOutbox).set(change).where(eq(emailOutbox.id, id)).returning();
      return updated!;
    },

    outboxNewestFirst: (query): Promise<OutboxRow[]> =>
      db
        .select()
        .from(emailOutbox)
        .where(query.before ? lt(emailOutbox.id, query.before) : undefined)
        .orderBy(desc(emailOutbox.id))
        .limit(query.limit),

    async emailsSentToSince(address, since) {
      const [row] = await db
        .select({ n: count() })
        .from(emailOutbox)
        .where(and(eq(emailOutbox.toAddress, address), gt(emailOutbox.createdAt, since)));
      return row?.n ?? 0;
    },

    async outboxByMessageIds(ids) {
      if (ids.length === 0) return null;
      return first(await db.select().from(emailOutbox).where(inArray(emailOutbox.messageIdHeader, ids)).orderBy(desc(emailOutbox.id)).limit(1));
    },

    async outboxByProviderId(providerId) {
      return first(await db.select().from(emailOutbox).where(eq(emailOutbox.providerId, providerId)).orderBy(desc(emailOutbox.id)).limit(1));
    },

    // Threading.

    async replyToken(conversationId) {
      const [row] = await db.select({ token: conversations.replyToken }).from(conversations).where(eq(conversations.id, conversationId));
      return row?.token ?? null;
    },

    async setReplyToken(conversationId, token) {
      // The first token stays: emails already out carry it, and replies to them must still find the
      // conversation. Two processes sending a conversation's first email at once both set one; the
      // caller reads the token back (replyToken) to use the one that was kept.
      await db
        .update(conversations)
        .set({ replyToken: token })
        .where(and(eq(conversations.id, conversationId), isNull(conversations.replyToken)));
    },

    async earlierMessageIds(conversationId) {
      const sent = await db
        .select({ id: emailOutbox.messageIdHeader, at: emailOutbox.createdAt })
        .from(emailOutbox)
        .where(eq(emailOutbox.conversationId, conversationId))
        .orderBy(asc(emailOutbox.id));
      const received = await db
        .select({ id: messages.externalId, at: messages.createdAt })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.channel, 'email'), isNotNull(messages.externalId)))
        .orderBy(asc(messages.id));
      // A stable sort, as SQLite's: at the same time, what we sent comes before what we received.
      return [...sent, ...received]
        .sort((a, b) => a.at - b.at)
        .map((r) => (r.id ? messageIdOfExternalId(r.id) : null))
        .filter((id): id is string => Boolean(id));
    },

    async conversationByReplyToken(token) {
      const [row] = await db.select({ id: conversations.id }).from(conversations).where(eq(conversations.replyToken, token));
      return row?.id ?? null;
    },

    async conversationByMessageIds(ids) {
      if (ids.length === 0) return null;
      const [sent] = await db
        .select({ conversationId: emailOutbox.conversationId })
        .from(emailOutbox)
        .where(inArray(emailOutbox.messageIdHeader, ids))
        .orderBy(desc(emailOutbox.id))
        .limit(1);
      if (sent) return sent.conversationId;
      const [received] = await db
        .select({ conversationId: messages.conversationId })
        .from(messages)
        .where(and(eq(messages.channel, 'email'), externalIdsWithMessageId(ids)))
        .orderBy(desc(messages.id))
        .limit(1);
      return received?.conversationId ?? null;
    },

    async sentTo(conversationId, address, messageIds) {
      if (messageIds.length === 0) return false;
      const rows = await db
        .select({ id: emailOutbox.id })
        .from(emailOutbox)
        .where(
          and(
            eq(emailOutbox.conversationId, conversationId),
            eq(emailOutbox.toAddress, address),
            inArray(emailOutbox.messageIdHeader, messageIds),
          ),
        )
        .limit(1);
      return rows.length > 0;
    },

    async latestInboundSubject(conversationId) {
      const [row] = await db
        .select({ subject: inboundEmails.subject })
        .from(inboundEmails)
        .innerJoin(messages, eq(messages.id, inboundEmails.messageId))
        .where(and(eq(messages.conversationId, conversationId), eq(messages.automatic, false)))
        .orderBy(desc(inboundEmails.id))
        .limit(1);
      return row?.subject ?? null;
    },

    // Follow-ups.

    async scheduleFollowup(conversationId, dueAt) {
      await db.update(conversations).set({ emailFollowupAt: dueAt }).where(eq(conversations.id, conversationId));
    },

    async scheduleFollowupUnlessPending(conversationId, dueAt) {
      await db
        .update(conversations)
        .set({ emailFollowupAt: sql`coalesce(${conversations.emailFollowupAt}, ${dueAt})` })
        .where(eq(conversations.id, conversationId));
    },

    async followupPending(conversationId) {
      const [row] = await db.select({ at: conversations.emailFollowupAt }).from(conversations).where(eq(conversations.id, conversationId));
      return row?.at != null;
    },

    async clearFollowup(conversationId) {
      await db
        .update(conversations)
        .set({ emailFollowupAt: null })
        .where(and(eq(conversations.id, conversationId), isNotNull(conversations.emailFollowupAt)));
    },

    async dueFollowups(now) {
      const rows = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(lte(conversations.emailFollowupAt, now))
        .orderBy(asc(conversations.emailFollowupAt), asc(conversations.id));
      return rows.map((row) => row.id);
    },

    async takeDueFollowup(conversationId, now) {
      // A second taker waits on the first one's row lock, then re-reads the row: no longer due.
      const cleared = await db
        .update(conversations)
        .set({ emailFollowupAt: null })
        .where(and(eq(conversations.id, conversationId), lte(conversations.emailFollowupAt, now)))
        .returning({ id: conversations.id });
      return cleared.length > 0;
    },

    async unseenReplies(conversationId) {
      const [conversation] = await db
        .select({ seen: conversations.visitorSeenSeq })
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      // Both watermarks count in seq, the conversation's own order: ids may commit out of order.
      const [emailed] = await db
        .select({ seq: max(messages.seq) })
        .from(emailOutbox)
        .innerJoin(messages, eq(messages.id, emailOutbox.messageId))
        .where(and(eq(emailOutbox.conversationId, conversationId), eq(emailOutbox.kind, 'followup')));
      const after = Math.max(conversation?.seen ?? 0, emailed?.seq ?? 0);
      const rows = await db
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(eq(messages.conversationId, conversationId), eq(messages.author, 'agent'), eq(messages.channel, 'chat'), gt(messages.seq, after)),
        )
        .orderBy(asc(messages.seq));
      const store = pgConversationStore(db);
      const replies: ChatMessage[] = [];
      for (const row of rows) {
        const message = await store.messageById(row.id);
        if (message) replies.push(message);
      }
      return replies;
    },

    // Who writes in.

    async contactFor(address, name) {
      const email = contactAddress(address);
      const [created] = await db.insert(contacts).values({ email, name }).onConflictDoNothing({ target: contacts.email }).returning({ id: contacts.id });
      if (created) return created.id;
      // Someone else's insert won (it committed before ours gave way): read theirs. Locked, as our new
      // row would be, so that two emails from one contact taken in at once open one conversation.
      const [existing] = await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.email, email)).for('update');
      return existing!.id;
    },

    async nameUnnamedContact(address, name) {
      await db
        .update(contacts)
        .set({ name })
        .where(and(eq(contacts.email, contactAddress(address)), or(isNull(contacts.name), eq(contacts.name, ''))));
    },

    async latestOpenConversationOf(contactId) {
      const [row] = await db
        .select({ id: conversations.id })
        .from(conversations)
        .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
        .where(and(eq(visitors.contactId, contactId), eq(conversations.status, 'open')))
        .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
        .limit(1);
      return row?.id ?? null;
    },

    emailParticipantOf: (contactId, now) =>
      db.transaction(async (tx) => {
        // No constraint says one email participant per contact: the contact's row lock does, so a
        // second caller waits here and then finds the first one's participant.
        await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, contactId)).for('no key update');
        const [existing] = await tx
          .select({ id: visitors.id })
          .from(visitors)
          .where(and(eq(visitors.contactId, contactId), eq(visitors.kind, 'email')))
          .orderBy(asc(visitors.id))
          .limit(1);
        if (existing) return existing.id;
        const [created] = await tx.insert(visitors).values({ kind: 'email', contactId, lastSeenAt: now }).returning({ id: visitors.id });
        return created!.id;
      }),

    // What arrived.

    inboundExternalId: async (messageId, fromAddress) => inboundExternalId(messageId, fromAddress),

    async recordInboundEmail(row) {
      await db.insert(inboundEmails).values(row);
    },

    storeRawSource: (bytes) => storeRawSource(db, bytes),
    deleteRawSource: (id) => deleteRawSource(db, id),

    async inboundEmailOf(messageId) {
      const [row] = await db
        .select({ subject: inboundEmails.subject, originalText: inboundEmails.originalText, rawSourceId: inboundEmails.rawSourceId })
        .from(inboundEmails)
        .where(eq(inboundEmails.messageId, messageId));
      return row ?? null;
    },

    rawSourceBytes: (id) => rawSourceBytes(db, id),
  };
}
