// Keeps the message search index current, off the main thread. A worker thread with its own two
// connections (the main database read-only, the search index file read-write) indexes new messages
// every INDEX_EVERY_MS. FTS5 merges its segments now and then, and a merge took up to 70 ms: on the
// main thread that stalled every socket, in the worker it stalls nothing. A search first asks the
// worker to catch up, so results are never stale.
import type { Worker } from 'node:worker_threads';
import type { Db } from '../../db';
import { startWorkerThread } from '../../workerThread';
import { batchIndexer, createSearchIndexSchema, INDEX_BATCH_ROWS, SEARCH_SCHEMA, searchIndexPath } from './searchIndex';

const INDEX_EVERY_MS = 100;

/** What the index thread (searchIndexerWorker.ts) is started with. */
export interface IndexerWorkerData {
  /** The main database, which the thread opens read-only. */
  mainPath: string;
  indexPath: string;
  batchRows: number;
  everyMs: number;
}
/** To the thread: index everything stored so far and say so (before a search), or close. */
export type ToIndexer = { type: 'catchUp'; id: number } | { type: 'stop' };
/** From the thread: caught up as asked, a batch failed (it tries again next tick), closed. */
export type FromIndexer = { type: 'caughtUp'; id: number } | { type: 'error'; message: string } | { type: 'stopped' };

export class SearchIndexer {
  private readonly worker: Worker | null = null;
  private readonly inline: (() => number) | null = null;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private readonly waiting = new Map<number, () => void>();
  private nextId = 1;
  private exited = false;

  /** Attaches the index to `db` as `search.*` (searches read it there) and starts indexing. */
  constructor(db: Db, dbPath: string) {
    const sqlite = db.$client;
    const indexPath = dbPath === ':memory:' ? ':memory:' : searchIndexPath(dbPath);
    sqlite.prepare(`attach database ? as ${SEARCH_SCHEMA}`).run(indexPath);
    if (indexPath === ':memory:') {
      // An in-memory database cannot be opened by a second thread: index inline instead.
      createSearchIndexSchema(sqlite, SEARCH_SCHEMA);
      this.inline = batchIndexer(sqlite, sqlite, SEARCH_SCHEMA, INDEX_BATCH_ROWS);
      this.timer = setInterval(() => this.inline?.(), INDEX_EVERY_MS);
      this.timer.unref();
      return;
    }
    sqlite.pragma(`${SEARCH_SCHEMA}.journal_mode = WAL`);
    createSearchIndexSchema(sqlite, SEARCH_SCHEMA);
    const workerData: IndexerWorkerData = { mainPath: dbPath, indexPath, batchRows: INDEX_BATCH_ROWS, everyMs: INDEX_EVERY_MS };
    this.worker = startWorkerThread('searchIndexerWorker', import.meta.url, { workerData });
    this.worker.unref();
    this.worker.on('message', (message: FromIndexer) => {
      if (message.type === 'caughtUp') this.settle(message.id);
      else if (message.type === 'error') console.error('[parley] search indexing failed:', message.message);
    });
    // A worker that died must not leave searches waiting for ever.
    this.worker.on('exit', () => {
      this.exited = true;
      this.settleAll();
    });
    this.worker.on('error', (err) => {
      console.error('[parley] search index worker failed:', err);
      this.settleAll();
    });
  }

  /** Resolves once every message stored so far is in the index (before a search reads it). */
  catchUp(): Promise<void> {
    if (this.inline) {
      while (this.inline() === INDEX_BATCH_ROWS);
      return Promise.resolve();
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker!.postMessage({ type: 'catchUp', id } satisfies ToIndexer);
    });
  }

  /** False once the worker thread has exited (stopped, or crashed): GET /healthz reports it. */
  get running(): boolean {
    return !this.exited;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((done) => {
      worker.on('message', (message: FromIndexer) => message.type === 'stopped' && done());
      worker.once('exit', () => done());
      worker.postMessage({ type: 'stop' } satisfies ToIndexer);
    });
    await worker.terminate();
  }

  private settle(id: number): void {
    this.waiting.get(id)?.();
    this.waiting.delete(id);
  }

  private settleAll(): void {
    for (const resolve of this.waiting.values()) resolve();
    this.waiting.clear();
  }
}
