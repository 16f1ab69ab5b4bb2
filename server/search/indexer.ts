// Keeps the FTS5 message index current in small batches, off the chat hot path: a message is
// stored and acknowledged first, indexed within INDEX_EVERY_MS. A search first indexes whatever
// is still pending, so results are never stale.
import { withoutFsync, type Db } from '../db';

/** Short intervals keep each batch small, so the event loop never stalls long on one. */
const INDEX_EVERY_MS = 100;
/** Bounds one batch, so a large backlog is indexed over several ticks instead of one long stall. */
const BATCH_ROWS = 2_000;

export class SearchIndexer {
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly indexBatch: () => number;

  constructor(db: Db) {
    const sqlite = db.$client;
    const last = sqlite.prepare<[], number>('select last_message_id from search_index_state where id = 1').pluck();
    const batchEnd = sqlite
      .prepare<[number, number], number | null>('select max(id) from (select id from messages where id > ? order by id limit ?)')
      .pluck();
    const add = sqlite.prepare<[number, number]>('insert into messages_fts (rowid, body) select id, body from messages where id > ? and id <= ?');
    const remember = sqlite.prepare<[number]>('update search_index_state set last_message_id = ? where id = 1');
    const indexInTransaction = sqlite.transaction(() => {
      const from = last.get() ?? 0;
      const to = batchEnd.get(from, BATCH_ROWS);
      if (to === null || to === undefined) return 0;
      const { changes } = add.run(from, to);
      remember.run(to);
      return changes;
    });
    // The index is derived data: its batches need not wait for the disk.
    this.indexBatch = () => withoutFsync(db, indexInTransaction);
    this.timer = setInterval(() => this.indexBatch(), INDEX_EVERY_MS);
    this.timer.unref();
  }

  /** Indexes every message not yet in the index (before a search reads it). */
  catchUp(): void {
    while (this.indexBatch() === BATCH_ROWS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.catchUp();
  }
}
