// The MessengerStore (../messenger.ts) in SQLite: a `visitors` row of kind 'messenger' per PSID, and
// reads of the messages Messenger reports on. Messages themselves are written by the conversation
// service alone.
import type { Synchronous } from './asyncStores';
import { and, eq, inArray, lt, lte, or } from 'drizzle-orm';
import type { Attachment, DeliveryState } from '../../../shared/protocol';
import { inTransaction, schema, type Db } from '../../db';
import type { ConversationRow, VisitorRow } from '../conversations';
import type { DeliveryReport, MessengerStore } from '../messenger';
import { conversationOfVisitor, createConversation } from './conversations';

const { conversations, messages, visitors } = schema;

/**
 * The sender's conversation: a PSID has one, created with its participant when first seen; a
 * complete one is reopened by the message that lands in it.
 */
export function conversationOfPsid(db: Db, psid: string, now: number): { participant: VisitorRow; conversation: ConversationRow } {
  return inTransaction(db, () => {
    const participant =
      db.select().from(visitors).where(eq(visitors.messengerPsid, psid)).get() ??
      db.insert(visitors).values({ kind: 'messenger', messengerPsid: psid, lastSeenAt: now }).returning().get();
    const conversation = conversationOfVisitor(db, participant.id) ?? createConversation(db, participant.id, now);
    return { participant, conversation };
  });
}

/** The name from the person's Messenger profile; the conversation's title shows it. */
export function setParticipantName(db: Db, participantId: number, name: string): void {
  db.update(visitors).set({ name }).where(eq(visitors.id, participantId)).run();
}

/** Who a reply in this conversation goes to, or null if it is not a Messenger conversation. */
export function psidOfConversation(db: Db, conversationId: number): string | null {
  const row = db
    .select({ psid: visitors.messengerPsid })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .where(eq(conversations.id, conversationId))
    .get();
  return row?.psid ?? null;
}

/** Delivery states a report may move a message from: "read" beats "delivered", never the reverse. */
const EARLIER_STATES: Record<'delivered' | 'read', DeliveryState[]> = { delivered: ['sent'], read: ['sent', 'delivered'] };

/** The conversation of a PSID we already know, or null (a report about someone never seen). */
export function knownConversationOfPsid(db: Db, psid: string): ConversationRow | null {
  const participant = db.select({ id: visitors.id }).from(visitors).where(eq(visitors.messengerPsid, psid)).get();
  return participant ? conversationOfVisitor(db, participant.id) : null;
}

/**
 * Our Messenger messages in this conversation that a delivery or read report moves forward: those
 * created at or before the watermark, and those the report names by mid.
 */
export function messagesReportedOn(db: Db, report: DeliveryReport): number[] {
  const covered = lte(messages.createdAt, report.watermark);
  return db
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
    .all()
    .map((row) => row.id);
}

/** Replies still queued: after a restart these were interrupted mid-send. */
/** How far back a restart looks for files to copy: by id, a range the primary key reads directly. */
const RECENT_MESSAGES = 50_000;

export function filesAwaitingCopies(db: Db): { id: number; attachments: Attachment[] }[] {
  return db.$client
    .prepare<[number], { id: number; attachments: string }>(
      `select id, attachments from messages
       where id > (select coalesce(max(id), 0) from messages) - ?
         and channel = 'messenger' and attachments like '%"url":"http%'`,
    )
    .all(RECENT_MESSAGES)
    .map((row) => ({ id: row.id, attachments: JSON.parse(row.attachments) as Attachment[] }));
}

export function queuedReplies(db: Db, queuedBefore: number): number[] {
  // (channel, external_id) is indexed: this reads Messenger messages only, not every message stored.
  return db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.channel, 'messenger'), eq(messages.deliveryState, 'queued'), lt(messages.createdAt, queuedBefore)))
    .all()
    .map((row) => row.id);
}

export function sqliteMessengerStore(db: Db): Synchronous<MessengerStore> {
  return {
    conversationOfPsid: (psid, now) => conversationOfPsid(db, psid, now),
    knownConversationOfPsid: (psid) => knownConversationOfPsid(db, psid),
    setParticipantName: (participantId, name) => setParticipantName(db, participantId, name),
    psidOfConversation: (conversationId) => psidOfConversation(db, conversationId),
    messagesReportedOn: (report) => messagesReportedOn(db, report),
    queuedReplies: (queuedBefore) => queuedReplies(db, queuedBefore),
    filesAwaitingCopies: () => filesAwaitingCopies(db),
  };
}
