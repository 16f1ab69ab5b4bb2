// The MessengerStore (../messenger.ts) in PostgreSQL: a `visitors` row of kind 'messenger' per PSID, and
// reads of the messages Messenger reports on. Messages themselves are written by the conversation
// service alone. Several processes may receive a person's first messages at once: the unique index on
// visitors.messenger_psid makes one participant, and the participant row's lock makes one conversation.
import { and, desc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Attachment, DeliveryState } from '../../../shared/protocol';
import type { PgDb } from '../../db/pg/open';
import { conversations, messages, visitors } from '../../db/pg/schema';
import type { ConversationRow } from '../conversations';
import type { MessengerStore } from '../messenger';

/** Delivery states a report may move a message from: "read" beats "delivered", never the reverse. */
const EARLIER_STATES: Record<'delivered' | 'read', DeliveryState[]> = { delivered: ['sent'], read: ['sent', 'delivered'] };

/** How far back a restart looks for files to copy: by id, a range the primary key reads directly. */
const RECENT_MESSAGES = 50_000;

/** The visitor's newest conversation (as sqlite/conversations.ts's conversationOfVisitor). */
async function conversationOfVisitor(db: PgDb, visitorId: number): Promise<ConversationRow | null> {
  const [row] = await db.select().from(conversations).where(eq(conversations.visitorId, visitorId)).orderBy(desc(conversations.id)).limit(1);
  return row ?? null;
}

export function pgMessengerStore(db: PgDb): MessengerStore {
  return {
    conversationOfPsid: (psid, now) =>
      db.transaction(async (tx) => {
        // A concurrent first insert of this PSID makes ours wait for its commit, then do nothing.
        await tx
          .insert(visitors)
          .values({ kind: 'messenger', messengerPsid: psid, lastSeenAt: now })
          .onConflictDoNothing({ target: visitors.messengerPsid });
        // The participant's row lock orders everyone creating its conversation: the second in line
        // reads (read committed, after the wait) the conversation the first one made.
        const [participant] = await tx.select().from(visitors).where(eq(visitors.messengerPsid, psid)).for('update');
        if (!participant) throw new Error(`Messenger participant ${psid} vanished inside its own transaction`);
        const conversation =
          (await conversationOfVisitor(tx, participant.id)) ??
          (await tx.insert(conversations).values({ visitorId: participant.id, lastMessageAt: now, createdAt: now }).returning())[0]!;
        return { participant, conversation };
      }),

    async knownConversationOfPsid(psid) {
      const [participant] = await db.select({ id: visitors.id }).from(visitors).where(eq(visitors.messengerPsid, psid));
      return participant ? conversationOfVisitor(db, participant.id) : null;
    },

    async setParticipantName(participantId, name) {
      await db.update(visitors).set({ name }).where(eq(visitors.id, participantId));
    },

    async psidOfConversation(conversationId) {
      const [row] = await db
        .select({ psid: visitors.messengerPsid })
        .from(conversations)
        .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
        .where(eq(conversations.id, conversationId));
      return row?.psid ?? null;
    },

    async messagesReportedOn(report) {
      const covered = lte(messages.createdAt, report.watermark);
      const rows = await db
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(
            eq(messages.conversationId, report.conversationId),
            eq(messages.channel, 'messenger'),
            eq(messages.author, 'agent'),
            inArray(messages.deliveryState, EARLIER_STATES[report.state]),
            report.mids?.length ? or(covered, inArray(messages.externalId, report.mids)) : covered,
          ),
        )
        .orderBy(messages.id);
      return rows.map((row) => row.id);
    },

    async queuedReplies(queuedBefore) {
      // (channel, external_id) is indexed: this reads Messenger messages only, not every message stored.
      const rows = await db
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.channel, 'messenger'), eq(messages.deliveryState, 'queued'), lt(messages.createdAt, queuedBefore)))
        .orderBy(messages.id);
      return rows.map((row) => row.id);
    },

    async filesAwaitingCopies() {
      // ilike: SQLite's like ignores ASCII case, and this matches what it matches.
      const rows = await db
        .select({ id: messages.id, attachments: messages.attachments })
        .from(messages)
        .where(
          and(
            sql`${messages.id} > (select coalesce(max(id), 0) from messages) - ${RECENT_MESSAGES}`,
            eq(messages.channel, 'messenger'),
            sql`${messages.attachments} ilike '%"url":"http%'`,
          ),
        )
        .orderBy(messages.id);
      return rows.map((row) => ({ id: row.id, attachments: JSON.parse(row.attachments!) as Attachment[] }));
    },
  };
}
