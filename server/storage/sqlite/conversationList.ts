// The inbox's view of conversations: one summary row each, newest activity first, paged by keyset
// on (last_message_at, id) so page 500 costs the same as page 1. Presence comes from the caller.
import type { ConversationPage, ConversationSummary } from '../../../shared/protocol';
import { preparedOnce, type Db } from '../../db';
import type { Statement } from 'better-sqlite3';
import { summaryFromRow, type IsOnline, type ListQuery, type SummaryRow } from '../conversations';
import { unreadConversationCount } from './conversations';

const SELECT_SUMMARIES = `select cv.id, cv.visitor_id as visitorId, cv.status, cv.last_message_at as lastMessageAt,
    cv.last_message_preview as lastMessagePreview, cv.last_message_author as lastMessageAuthor,
    cv.last_message_agent_id as lastMessageAgentId, a.name as lastMessageAgentName,
    cv.unread_count as unreadCount, cv.last_inbound_at as lastInboundAt, cv.created_at as createdAt,
    v.kind, v.name as visitorName, c.name as contactName, coalesce(c.email, v.unverified_email) as email,
    c.id is not null as emailVerified, cv.assignee_id as assigneeId, asg.name as assigneeName
  from conversations cv join visitors v on v.id = cv.visitor_id left join contacts c on c.id = v.contact_id
  left join agents a on a.id = cv.last_message_agent_id left join agents asg on asg.id = cv.assignee_id`;

// Fetched after every chat message for the agents' live list, and for every page of the list: raw
// statements prepared once per database (drizzle rebuilt and re-prepared the list query per page).
const summaryById = preparedOnce((db: Db) => db.$client.prepare<[number], SummaryRow>(`${SELECT_SUMMARIES} where cv.id = ?`));

type PageParams = { status?: string; assigneeId?: number; at?: number; id?: number; limit: number };
type Shape = { byStatus: boolean; assignee: 'anyone' | 'agent' | 'nobody'; after: boolean };

/**
 * One statement per shape of page, each with conditions the planner can match to an index
 * (an "@status = 'all' or …" clause would make it give up on the status index); an assignee's pages
 * walk conversations_assignee_activity_idx. Prepared on first use, once per database and shape.
 */
const listPages = preparedOnce((db: Db) => {
  const prepared = new Map<string, Statement<[PageParams], SummaryRow>>();
  return (shape: Shape) => {
    const key = `${shape.byStatus}/${shape.assignee}/${shape.after}`;
    let statement = prepared.get(key);
    if (!statement) {
      const where = [
        shape.byStatus ? 'cv.status = @status' : null,
        shape.assignee === 'agent' ? 'cv.assignee_id = @assigneeId' : shape.assignee === 'nobody' ? 'cv.assignee_id is null' : null,
        shape.after ? '(cv.last_message_at, cv.id) < (@at, @id)' : null,
      ].filter((c) => c !== null);
      statement = db.$client.prepare<[PageParams], SummaryRow>(
        `${SELECT_SUMMARIES} where ${where.join(' and ') || '1'} order by cv.last_message_at desc, cv.id desc limit @limit`,
      );
      prepared.set(key, statement);
    }
    return statement;
  };
});

export function conversationSummary(db: Db, id: number, isOnline: IsOnline): ConversationSummary | null {
  const row = summaryById(db).get(id);
  return row ? summaryFromRow(row, isOnline) : null;
}

/** One summary after another: a prepared SQLite read costs microseconds and no round trip. */
export function conversationSummaries(db: Db, ids: number[], isOnline: IsOnline): Map<number, ConversationSummary> {
  const found = new Map<number, ConversationSummary>();
  for (const id of ids) {
    const summary = conversationSummary(db, id, isOnline);
    if (summary) found.set(id, summary);
  }
  return found;
}

export function conversationList(db: Db, query: ListQuery, isOnline: IsOnline): ConversationPage {
  const limit = query.limit + 1; // one more than asked: is there a next page?
  const [at, id] = query.cursor ? query.cursor.split('_').map(Number) : [];
  const byStatus = query.status !== 'all';
  const assigneeId = query.assigneeId;
  const assignee = assigneeId === undefined ? 'anyone' : assigneeId === null ? 'nobody' : 'agent';
  const params: PageParams = { limit };
  if (byStatus) params.status = query.status;
  if (assigneeId != null) params.assigneeId = assigneeId;
  if (at !== undefined && id !== undefined) {
    params.at = at;
    params.id = id;
  }
  const rows = listPages(db)({ byStatus, assignee, after: params.at !== undefined }).all(params);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    conversations: page.map((row) => summaryFromRow(row, isOnline)),
    nextCursor: rows.length > query.limit && last ? `${last.lastMessageAt}_${last.id}` : null,
    unreadConversations: unreadConversationCount(db),
  };
}
