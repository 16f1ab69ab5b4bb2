// The inbox's view of conversations in PostgreSQL: one summary row each, newest activity first, paged
// by keyset on (last_message_at, id) so page 500 costs the same as page 1 (the row comparison walks
// conversations_activity_idx, _status_activity_idx or _assignee_activity_idx). Presence comes from the
// caller. The same rows, order and cursor ("<lastMessageAt>_<id>") as sqlite/conversationList.ts.
import { and, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ConversationPage, ConversationSummary } from '../../../shared/protocol';
import type { PgDb } from '../../db/pg/open';
import { agents, contacts, conversations, visitors } from '../../db/pg/schema';
import { summaryFromRow, type IsOnline, type ListQuery } from '../conversations';

const lastAgent = alias(agents, 'last_agent');
const assignee = alias(agents, 'assignee');

const summaryColumns = {
  id: conversations.id,
  visitorId: conversations.visitorId,
  status: conversations.status,
  lastMessageAt: conversations.lastMessageAt,
  lastMessagePreview: conversations.lastMessagePreview,
  lastMessageAuthor: conversations.lastMessageAuthor,
  lastMessageAgentId: conversations.lastMessageAgentId,
  lastMessageAgentName: lastAgent.name,
  unreadCount: conversations.unreadCount,
  lastInboundAt: conversations.lastInboundAt,
  createdAt: conversations.createdAt,
  kind: visitors.kind,
  visitorName: visitors.name,
  contactName: contacts.name,
  email: sql<string | null>`coalesce(${contacts.email}, ${visitors.unverifiedEmail})`,
  emailVerified: sql<boolean>`${contacts.id} is not null`,
  assigneeId: conversations.assigneeId,
  assigneeName: assignee.name,
};

function selectSummaries(db: PgDb) {
  return db
    .select(summaryColumns)
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoin(contacts, eq(contacts.id, visitors.contactId))
    .leftJoin(lastAgent, eq(lastAgent.id, conversations.lastMessageAgentId))
    .leftJoin(assignee, eq(assignee.id, conversations.assigneeId));
}

export async function conversationSummary(db: PgDb, conversationId: number, isOnline: IsOnline): Promise<ConversationSummary | null> {
  const [row] = await selectSummaries(db).where(eq(conversations.id, conversationId));
  return row ? summaryFromRow(row, isOnline) : null;
}

/** Several conversations' summaries in one statement (one round trip, not one per conversation), by id. */
export async function conversationSummaries(db: PgDb, ids: number[], isOnline: IsOnline): Promise<Map<number, ConversationSummary>> {
  const found = new Map<number, ConversationSummary>();
  if (ids.length === 0) return found;
  const rows = await selectSummaries(db).where(sql`${conversations.id} = any(${sql.param(ids)}::bigint[])`);
  for (const row of rows) found.set(row.id, summaryFromRow(row, isOnline));
  return found;
}

/**
 * The cursor's (at, id) as bigint bounds that keep exactly the rows SQLite's `(last_message_at, id) <
 * (at, id)` keeps with the same numbers. Only nextCursor's digits reach here through the API, but a
 * store caller may pass anything: a part that is no number binds as NULL in both engines; stored
 * values stay below 2^53, so a larger bound is 2^53 (bigint holds it); and as both columns are
 * integers, `< 5.5` is `< 6`, with a fractional time leaving the id no say.
 */
function cursorBounds(at: number, id: number): [number | null, number | null] {
  const bound = (value: number) => (Number.isNaN(value) ? null : Math.max(-(2 ** 53), Math.min(2 ** 53, Math.ceil(value))));
  return [bound(at), Number.isInteger(at) || Number.isNaN(at) ? bound(id) : -(2 ** 53)];
}

export async function conversationList(db: PgDb, query: ListQuery, isOnline: IsOnline): Promise<ConversationPage> {
  const [at, id] = query.cursor ? query.cursor.split('_').map(Number) : [];
  const where: (SQL | undefined)[] = [];
  if (query.status !== 'all') where.push(eq(conversations.status, query.status));
  if (query.assigneeId === null) where.push(isNull(conversations.assigneeId));
  else if (query.assigneeId !== undefined) where.push(eq(conversations.assigneeId, query.assigneeId));
  if (at !== undefined && id !== undefined) {
    const [atBound, idBound] = cursorBounds(at, id);
    where.push(sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${atBound}::bigint, ${idBound}::bigint)`);
  }
  const [rows, unreadConversations] = await Promise.all([
    selectSummaries(db)
      .where(and(...where))
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .limit(query.limit + 1), // one more than asked: is there a next page?
    unreadConversationCount(db),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    conversations: page.map((row) => summaryFromRow(row, isOnline)),
    nextCursor: rows.length > query.limit && last ? `${last.lastMessageAt}_${last.id}` : null,
    unreadConversations,
  };
}

/** Open conversations with unread visitor messages: the inbox's red dot (conversations_unread_open_idx, partial on the same condition). */
export async function unreadConversationCount(db: PgDb): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(conversations)
    .where(sql`${conversations.status} = 'open' and ${conversations.unreadCount} > 0`);
  return row?.n ?? 0;
}
