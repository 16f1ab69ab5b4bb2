// The message search index: an FTS5 table in its own SQLite file beside the main database. It is
// derived data (rebuilt from `messages` if it is ever lost), so it lives apart from the chat data:
// the worker that writes it never takes the main database's write lock, and chat commits never
// wait for it. Contentless (`content=''`): the text stays once, in `messages`; a hit is a rowid,
// which is the message id.
import type BetterSqlite3 from 'better-sqlite3';

/** `data/parley.db` → `data/parley-search.db`. */
export const searchIndexPath = (dbPath: string): string => `${dbPath.replace(/\.db$/, '')}-search.db`;

/** The schema name the main connection attaches the index under (`search.messages_fts`). */
export const SEARCH_SCHEMA = 'search';

/**
 * Creates the index's tables in `schema` of this connection, if missing. `contentless_delete` lets an
 * edited message's row be replaced by rowid alone (a plain contentless table needs the old text to
 * delete it). An index made before that option is dropped here and rebuilt from the messages.
 */
export function createSearchIndexSchema(sqlite: BetterSqlite3.Database, schema = 'main'): void {
  const existing = sqlite
    .prepare<[], string>(`select sql from ${schema}.sqlite_master where name = 'messages_fts'`)
    .pluck()
    .get();
  if (existing !== undefined && !existing.includes('contentless_delete')) {
    sqlite.exec(`drop table ${schema}.messages_fts; drop table if exists ${schema}.index_state;`);
  }
  sqlite.exec(`
    create virtual table if not exists ${schema}.messages_fts using fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
    create table if not exists ${schema}.index_state (id integer primary key check (id = 1), last_message_id integer not null);
    insert or ignore into ${schema}.index_state (id, last_message_id) values (1, 0);
    create table if not exists ${schema}.reindex_state (id integer primary key check (id = 1), last_seq integer not null);
    insert or ignore into ${schema}.reindex_state (id, last_seq) values (1, 0);
  `);
}

/** Bounds one batch, so a large backlog (a first start on an old database) is indexed a step at a time. */
export const INDEX_BATCH_ROWS = 2_000;

/**
 * Returns a function that indexes the next batch (up to `batchRows`) of messages not yet in the index,
 * then re-indexes messages edited since (search_reindex), and says how many rows it wrote at most in
 * either step. `messages` reads the main database; `index` writes the search index (in `schema`). The
 * one implementation of indexing: the index thread (searchIndexerWorker.ts) runs it, and so does the
 * main thread for an in-memory database (searchIndexer.ts).
 */
export function batchIndexer(
  messages: BetterSqlite3.Database,
  index: BetterSqlite3.Database,
  schema: string,
  batchRows: number,
): () => number {
  const last = index.prepare<[], number>(`select last_message_id from ${schema}.index_state where id = 1`).pluck();
  const next = messages.prepare<[number, number], { id: number; body: string }>(
    'select id, body from messages where id > ? order by id limit ?',
  );
  const add = index.prepare<[number, string]>(`insert into ${schema}.messages_fts (rowid, body) values (?, ?)`);
  const remember = index.prepare<[number]>(`update ${schema}.index_state set last_message_id = ? where id = 1`);
  const store = index.transaction((rows: { id: number; body: string }[]) => {
    for (const row of rows) add.run(row.id, row.body);
    remember.run(rows[rows.length - 1]!.id);
  });

  const lastSeq = index.prepare<[], number>(`select last_seq from ${schema}.reindex_state where id = 1`).pluck();
  const edited = messages.prepare<[number, number], { seq: number; id: number; body: string }>(
    'select r.seq, m.id, m.body from search_reindex r join messages m on m.id = r.message_id where r.seq > ? order by r.seq limit ?',
  );
  const remove = index.prepare<[number]>(`delete from ${schema}.messages_fts where rowid = ?`);
  const rememberSeq = index.prepare<[number]>(`update ${schema}.reindex_state set last_seq = ? where id = 1`);
  const replace = index.transaction((rows: { seq: number; id: number; body: string }[], indexedUpTo: number) => {
    for (const row of rows) {
      // Not indexed yet: the next batch reads its text as it is now, edit included.
      if (row.id > indexedUpTo) continue;
      remove.run(row.id);
      add.run(row.id, row.body);
    }
    rememberSeq.run(rows[rows.length - 1]!.seq);
  });

  return () => {
    const rows = next.all(last.get() ?? 0, batchRows);
    if (rows.length > 0) store(rows);
    // Read after the new messages: an edit seen here was committed before this read, so a message it
    // names that is past the index is read with its new text by a later batch.
    const edits = edited.all(lastSeq.get() ?? 0, batchRows);
    if (edits.length > 0) replace(edits, last.get() ?? 0);
    return Math.max(rows.length, edits.length);
  };
}
