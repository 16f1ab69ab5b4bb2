// The inbox's view of conversations: one summary row each, newest activity first, paged by keyset
// on (last_message_at, id) so page 500 costs the same as page 1. Presence comes from the caller.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { ConversationPage, ConversationSummary } from '../../shared/protocol';
import { preparedOnce, schema, type Db } from '../db';
import { unreadConversationCount } from './store';

const { agents, contacts, conversations, visitors } = schema;

export type IsOnline = (visitorId: number) => boolean;

const summaryColumns = {
  id: conversations.id,
  visitorId: conversations.visitorId,
  status: conversations.status,
  lastMessageAt: conversations.lastMessageAt,
  lastMessagePreview: conversations.lastMessagePreview,
  lastMessageAuthor: conversations.lastMessageAuthor,
  lastMessageAgentId: conversations.lastMessageAgentId,
  lastMessageAgentName: agents.name,
  unreadCount: conversations.unreadCount,
  lastInboundAt: conversations.lastInboundAt,
  createdAt: conversations.createdAt,
  kind: visitors.kind,
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
    .leftJoin(agents, eq(agents.id, conversations.lastMessageAgentId))
    .where(where);
}

type SummaryRow = ReturnType<ReturnType<typeof selectSummaries>['all']>[number];

function toSummary(row: SummaryRow, isOnline: IsOnline): ConversationSummary {
  const { visitorName, contactName, email, ...rest } = row;
  return {
    ...rest,
    email,
    title: contactName ?? visitorName ?? email ?? (row.kind === 'messenger' ? 'Messenger user' : `Visitor #${row.visitorId}`),
    online: isOnline(row.visitorId),
  };
}

// Fetched after every chat message for the agents' live list: a raw statement prepared once per
// database, whose column aliases are SummaryRow's keys (no per-row mapping).
const summaryById = preparedOnce((db: Db) =>
  db.$client.prepare<[number], SummaryRow>(
    `select cv.id, cv.visitor_id as visitorId, cv.status, cv.last_message_at as lastMessageAt,
       cv.last_message_preview as lastMessagePreview, cv.last_message_author as lastMessageAuthor,
       cv.last_message_agent_id as lastMessageAgentId, a.name as lastMessageAgentName,
       cv.unread_count as unreadCount, cv.last_inbound_at as lastInboundAt, cv.created_at as createdAt,
       v.kind, v.name as visitorName, c.name as contactName, c.email
     from conversations cv join visitors v on v.id = cv.visitor_id left join contacts c on c.id = v.contact_id
     left join agents a on a.id = cv.last_message_agent_id
     where cv.id = ?`,
  ),
);

export function conversationSummary(db: Db, id: number, isOnline: IsOnline): ConversationSummary | null {
  const row = summaryById(db).get(id);
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
