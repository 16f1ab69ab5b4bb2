// Keeps the message search index current, off the main thread. A worker thread with its own two
// connections (the main database read-only, the search index file read-write) indexes new messages
// every INDEX_EVERY_MS. FTS5 merges its segments now and then, and a merge took up to 70 ms: on the
// main thread that stalled every socket, in the worker it stalls nothing. A search first asks the
// worker to catch up, so results are never stale.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db';
import { LOWER_THIS_THREADS_PRIORITY } from '../db/backgroundThread';
import { batchIndexer, createSearchIndexSchema, INDEX_BATCH_ROWS, SEARCH_SCHEMA, searchIndexPath } from './searchIndex';

const INDEX_EVERY_MS = 100;

// Runs in the worker (CommonJS eval). batchIndexer is the same function the main thread would use,
// inlined from its source text, so there is one implementation of how messages are indexed.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const batchIndexer = (${batchIndexer.toString()});
${LOWER_THIS_THREADS_PRIORITY}
const messages = new Database(workerData.mainPath, { readonly: true });
messages.pragma('busy_timeout = 5000');
const index = new Database(workerData.indexPath);
index.pragma('journal_mode = WAL');
index.pragma('synchronous = NORMAL'); // derived data: rebuilt from messages if a power cut loses a batch
index.pragma('busy_timeout = 5000');
const indexBatch = batchIndexer(messages, index, 'main', workerData.batchRows);
const drain = () => { while (indexBatch() === workerData.batchRows); };
const tick = () => { try { drain(); } catch (err) { parentPort.postMessage({ type: 'error', message: String(err) }); } };
const timer = setInterval(tick, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message.type === 'catchUp') {
    tick();
    parentPort.postMessage({ type: 'caughtUp', id: message.id });
  } else if (message.type === 'stop') {
    clearInterval(timer);
    tick();
    messages.close();
    index.close();
    parentPort.postMessage({ type: 'stopped' });
  }
});
`;

type FromWorker = { type: 'caughtUp'; id: number } | { type: 'error'; message: string } | { type: 'stopped' };

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
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: { driver, mainPath: dbPath, indexPath, batchRows: INDEX_BATCH_ROWS, everyMs: INDEX_EVERY_MS },
    });
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => {
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
      this.worker!.postMessage({ type: 'catchUp', id });
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
      worker.on('message', (message: FromWorker) => message.type === 'stopped' && done());
      worker.once('exit', () => done());
      worker.postMessage({ type: 'stop' });
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
