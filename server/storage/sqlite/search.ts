// The SearchStore (../search.ts) in SQLite: FTS5 over message text (the index in its own attached
// file, see server/search/searchIndex.ts) and LIKE over contacts. Newest matches first: FTS5 can stop
// early in rowid order instead of ranking every hit. User input never reaches FTS5's query syntax:
// every word is quoted, the last one as a prefix.
import type { Synchronous } from './asyncStores';
import { preparedOnce, type Db } from '../../db';
import type { ContactMatch, MessageHit, SearchStore } from '../search';
import type { SearchIndexer } from './searchIndexer';

/** `ship norw` → `"ship" "norw"*`: all words must appear, the last may be unfinished. */
export function ftsQuery(words: string[]): string {
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const statementsFor = preparedOnce((db: Db) => ({
  // A typed address is no contact (it links nothing), but agents still find the visitor by it.
  contacts: db.$client.prepare<[{ pattern: string; limit: number }], ContactMatch>(
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
  hits: db.$client.prepare<[string, number, number], MessageHit>(
    `select m.conversation_id as conversationId, m.id as messageId, m.body
     from search.messages_fts f join messages m on m.id = f.rowid
     where f.messages_fts match ? and f.rowid < ? order by f.rowid desc limit ?`,
  ),
}));

export function contactsMatching(db: Db, text: string, limit: number): ContactMatch[] {
  return statementsFor(db).contacts.all({ pattern: likePattern(text), limit });
}

export function messagesMatching(db: Db, words: string[], beforeId: number, limit: number): MessageHit[] {
  return statementsFor(db).hits.all(ftsQuery(words), beforeId, limit);
}

/** `indexer`: the thread that keeps the FTS5 index current; none means the index is only read. */
export function sqliteSearchStore(db: Db, indexer: SearchIndexer | null): Synchronous<SearchStore> {
  return {
    contacts: (text, limit) => contactsMatching(db, text, limit),
    messages: (words, beforeId, limit) => messagesMatching(db, words, beforeId, limit),
    caughtUp: () => indexer?.catchUp() ?? Promise.resolve(),
  };
}
