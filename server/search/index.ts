// Inbox search: SQLite FTS5 over message text, plus contacts (and web visitors who only typed an
// address) whose name or email contains the query. Newest matches first (an inbox cares about
// recent talk, and FTS5 can stop early in rowid order instead of ranking every hit). User input
// never reaches FTS5's query syntax: every word is quoted, the last one as a prefix.
import type { ConversationSummary, SearchResult } from '../../shared/protocol';
import { preparedOnce, type Db } from '../db';

/** The words of what the agent typed: letters and digits only, so no FTS5 syntax survives. */
export function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** `ship norw` → `"ship" "norw"*`: all words must appear, the last may be unfinished. */
export function ftsQuery(words: string[]): string {
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

const SNIPPET_CONTEXT = 50;

/** The message around its first matching word, the match between « and » (plain text). */
export function snippet(body: string, words: string[]): string {
  const lower = body.toLowerCase();
  let at = -1;
  let length = 0;
  for (const word of words) {
    const found = lower.indexOf(word.toLowerCase());
    if (found >= 0 && (at < 0 || found < at)) {
      at = found;
      length = word.length;
      // Extend a prefix match to the end of the word, as FTS5 matched it.
      while (at + length < body.length && /[\p{L}\p{N}]/u.test(body[at + length] ?? '')) length++;
    }
  }
  if (at < 0) return body.slice(0, SNIPPET_CONTEXT * 2) + (body.length > SNIPPET_CONTEXT * 2 ? '…' : '');
  const start = Math.max(0, at - SNIPPET_CONTEXT);
  const end = Math.min(body.length, at + length + SNIPPET_CONTEXT);
  return `${start > 0 ? '…' : ''}${body.slice(start, at)}«${body.slice(at, at + length)}»${body.slice(at + length, end)}${end < body.length ? '…' : ''}`;
}

const HITS_PER_PAGE = 200;
/** Bounds the work for a query that matches a few huge conversations: 10 pages, 2,000 hits. */
const MAX_PAGES = 10;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const statementsFor = preparedOnce((db: Db) => ({
  // A typed address is no contact (it links nothing), but agents still find the visitor by it.
  contacts: db.$client.prepare<[{ pattern: string; limit: number }], { conversationId: number; name: string | null; email: string | null }>(
    `select conversationId, name, email from (
       select max(cv.id) as conversationId, c.name, c.email, max(cv.last_message_at) as at
       from contacts c join visitors v on v.contact_id = c.id join conversations cv on cv.visitor_id = v.id
       where c.name like @pattern escape '\\' or c.email like @pattern escape '\\'
       group by c.id
       union all
       select max(cv.id), v.name, v.unverified_email, max(cv.last_message_at)
       from visitors v join conversations cv on cv.visitor_id = v.id
       where v.unverified_email like @pattern escape '\\' or (v.contact_id is null and v.name like @pattern escape '\\')
       group by v.id)
     order by at desc limit @limit`,
  ),
  hits: db.$client.prepare<[string, number, number], { conversationId: number; messageId: number; body: string }>(
    `select m.conversation_id as conversationId, m.id as messageId, m.body
     from search.messages_fts f join messages m on m.id = f.rowid
     where f.messages_fts match ? and f.rowid < ? order by f.rowid desc limit ?`,
  ),
}));

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

  const statements = statementsFor(db);
  const contacts = statements.contacts.all({ pattern: likePattern(text), limit });
  for (const contact of contacts) {
    const label = contact.email ? (contact.name ? `${contact.name} <${contact.email}>` : contact.email) : (contact.name ?? '');
    add(contact.conversationId, null, label);
  }

  const words = searchWords(text);
  if (words.length > 0) {
    // Newest hits first, a page at a time, until `limit` distinct conversations are found: a chatty
    // conversation matching a common word must not crowd out the rest.
    const page = statements.hits;
    const query = ftsQuery(words);
    let before = Number.MAX_SAFE_INTEGER;
    for (let round = 0; round < MAX_PAGES && results.length < limit; round++) {
      const hits = page.all(query, before, HITS_PER_PAGE);
      for (const hit of hits) {
        if (!seen.has(hit.conversationId)) add(hit.conversationId, hit.messageId, snippet(hit.body, words));
      }
      if (hits.length < HITS_PER_PAGE) break;
      before = hits[hits.length - 1]?.messageId ?? 0;
    }
  }
  return results;
}
