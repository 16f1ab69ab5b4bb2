// The inbox's view of conversations: one summary row each, newest activity first, paged by keyset
// on (last_message_at, id) so page 500 costs the same as page 1. Presence comes from the caller.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { ConversationPage, ConversationSummary } from '../../shared/protocol';
import { schema, type Db } from '../db';
import { unreadConversationCount } from './store';

const { contacts, conversations, visitors } = schema;

export type IsOnline = (visitorId: number) => boolean;

const summaryColumns = {
  id: conversations.id,
  visitorId: conversations.visitorId,
  status: conversations.status,
  lastMessageAt: conversations.lastMessageAt,
  lastMessagePreview: conversations.lastMessagePreview,
  lastMessageAuthor: conversations.lastMessageAuthor,
  unreadCount: conversations.unreadCount,
  createdAt: conversations.createdAt,
  visitorName: visitors.name,
  contactName: contacts.name,
  email: contacts.email,
};

function selectSummaries(db: Db, where: SQL | undefined) {
  return db
    .select(summaryColumns)
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoin(contacts, eq(contacts.id, visitors.contactId))
    .where(where);
}

type SummaryRow = ReturnType<ReturnType<typeof selectSummaries>['all']>[number];

function toSummary(row: SummaryRow, isOnline: IsOnline): ConversationSummary {
  const { visitorName, contactName, email, ...rest } = row;
  return {
    ...rest,
    email,
    title: contactName ?? visitorName ?? email ?? `Visitor #${row.visitorId}`,
    online: isOnline(row.visitorId),
  };
}

// Fetched after every message for the agents' live list, so the query is built once per database.
const summaryById = new WeakMap<Db, ReturnType<typeof prepareSummaryById>>();
const prepareSummaryById = (db: Db) => selectSummaries(db, eq(conversations.id, sql.placeholder('id'))).prepare();

export function conversationSummary(db: Db, id: number, isOnline: IsOnline): ConversationSummary | null {
  let query = summaryById.get(db);
  if (!query) summaryById.set(db, (query = prepareSummaryById(db)));
  const row = query.get({ id });
  return row ? toSummary(row, isOnline) : null;
}

export function conversationList(
  db: Db,
  query: { status: 'open' | 'complete' | 'all'; cursor?: string; limit: number },
  isOnline: IsOnline,
): ConversationPage {
  const conditions: SQL[] = [];
  if (query.status !== 'all') conditions.push(eq(conversations.status, query.status));
  if (query.cursor) {
    const [at, id] = query.cursor.split('_').map(Number);
    conditions.push(sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${at}, ${id})`);
  }
  const rows = selectSummaries(db, conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(query.limit + 1)
    .all();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    conversations: page.map((row) => toSummary(row, isOnline)),
    nextCursor: rows.length > query.limit && last ? `${last.lastMessageAt}_${last.id}` : null,
    unreadConversations: unreadConversationCount(db),
  };
}
