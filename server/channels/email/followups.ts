// Unseen chat replies follow the visitor by email. An agent's chat reply to a visitor with a known
// email starts (or restarts: debounced per conversation) a timer kept in the conversation row, so a
// restart keeps it; the visitor seeing the reply in the widget cancels it. When it comes due, the
// replies they have not seen are emailed once, with the thread.
import { and, eq, gt, isNotNull, lte, max, sql } from 'drizzle-orm';
import type { ChatMessage } from '../../../shared/protocol';
import { inTransaction, schema, type Db } from '../../db';
import { messageById } from '../../storage/sqlite/conversations';
import { queueConversationEmail, type EmailSettings } from './outgoing';

const { conversations, emailOutbox, messages } = schema;

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

/** Agent chat replies the visitor has not seen and no follow-up has carried yet, oldest first. */
function unseenReplies(db: Db, conversationId: number): ChatMessage[] {
  const conversation = db
    .select({ seen: conversations.visitorSeenMessageId })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .get();
  const lastEmailed =
    db
      .select({ id: max(emailOutbox.messageId) })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.conversationId, conversationId), eq(emailOutbox.kind, 'followup')))
      .get()?.id ?? 0;
  const after = Math.max(conversation?.seen ?? 0, lastEmailed);
  return db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(eq(messages.conversationId, conversationId), eq(messages.author, 'agent'), eq(messages.channel, 'chat'), gt(messages.id, after)),
    )
    .orderBy(messages.id)
    .all()
    .map((row) => messageById(db, row.id))
    .filter((m): m is ChatMessage => m !== null);
}

export const hasUnseenReplies = (db: Db, conversationId: number): boolean => unseenReplies(db, conversationId).length > 0;

/** The visitor saw up to `messageId`: nothing left unseen means no email. */
export function cancelFollowupIfSeen(db: Db, conversationId: number): void {
  if (!hasUnseenReplies(db, conversationId)) {
    db.update(conversations)
      .set({ emailFollowupAt: null })
      .where(and(eq(conversations.id, conversationId), isNotNull(conversations.emailFollowupAt)))
      .run();
  }
}

/** Queues the follow-ups that came due; returns how many emails were queued. */
export function queueDueFollowups(db: Db, settings: EmailSettings): number {
  const due = db
    .select({ id: conversations.id })
    .from(conversations)
    .where(lte(conversations.emailFollowupAt, settings.now()))
    .all();
  let queued = 0;
  for (const { id } of due) {
    inTransaction(db, () => {
      db.update(conversations).set({ emailFollowupAt: sql`null` }).where(eq(conversations.id, id)).run();
      const unseen = unseenReplies(db, id);
      const last = unseen[unseen.length - 1];
      if (!last) return;
      const intro =
        unseen.length === 1 ? "You have a reply you haven't seen yet:" : `You have ${unseen.length} replies you haven't seen yet:`;
      const result = queueConversationEmail(db, settings, { conversationId: id, kind: 'followup', top: unseen, intro, reportOn: last });
      // Refused (the unverified cap): the replies stay in the chat, where the visitor finds them on return.
      if ('queued' in result) queued++;
      else console.warn(`[parley] follow-up for conversation ${id} not emailed: ${result.refused}`);
    });
  }
  return queued;
}
