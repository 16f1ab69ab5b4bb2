// Inbox search: SQLite FTS5 over message text, plus contacts whose name or email contains the
// query. User input never reaches FTS5's query syntax: every word is quoted, the last one as a prefix.
import type { ConversationSummary, SearchResult } from '../../shared/protocol';
import type { Db } from '../db';

/** `ship norw` → `"ship" "norw"*`: all words must appear, the last may be unfinished. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function search(
  db: Db,
  text: string,
  limit: number,
  summary: (conversationId: number) => ConversationSummary | null,
): SearchResult[] {
  const results: SearchResult[] = [];
  const seen = new Set<number>();
  const add = (conversationId: number, messageId: number | null, snippet: string) => {
    if (seen.has(conversationId) || results.length >= limit) return;
    const conversation = summary(conversationId);
    if (!conversation) return;
    seen.add(conversationId);
    results.push({ conversation, messageId, snippet });
  };

  const contacts = db.$client
    .prepare<[{ pattern: string; limit: number }], { conversationId: number; name: string | null; email: string }>(
      `select max(cv.id) as conversationId, c.name, c.email
       from contacts c join visitors v on v.contact_id = c.id join conversations cv on cv.visitor_id = v.id
       where c.name like @pattern escape '\\' or c.email like @pattern escape '\\'
       group by c.id order by max(cv.last_message_at) desc limit @limit`,
    )
    .all({ pattern: likePattern(text), limit });
  for (const contact of contacts) add(contact.conversationId, null, contact.name ? `${contact.name} <${contact.email}>` : contact.email);

  const query = ftsQuery(text);
  if (query) {
    const hits = db.$client
      .prepare<[string, number], { conversationId: number; messageId: number; snippet: string }>(
        `select m.conversation_id as conversationId, m.id as messageId,
           snippet(messages_fts, 0, '«', '»', '…', 12) as snippet
         from messages_fts join messages m on m.id = messages_fts.rowid
         where messages_fts match ? order by rank limit ?`,
      )
      .all(query, limit * 3);
    for (const hit of hits) add(hit.conversationId, hit.messageId, hit.snippet);
  }
  return results;
}
