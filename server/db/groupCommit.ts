// Group commit: every item that arrived while the previous batch was being written is stored in one
// SQLite transaction, made durable with one fsync, then announced and acknowledged. Durability is
// unchanged (nothing is acked before it is on disk); the cost per item drops from one disk flush to
// a share of one, and the event loop is free while the disk works (the fsync runs off the main
// thread: walSync.ts). Callers say what to store; every durability step lives here.
import { inAsyncTransaction, syncToDisk, writesPaused, type Db } from './index';

export interface BatchWriter<In, Out> {
  /** Resolves once `item` is committed and on disk, in the order items were added. */
  add(item: In): Promise<Out>;
  /** Resolves once nothing is queued or being written (shutdown waits for it before the database closes). */
  drained(): Promise<void>;
}

export interface BatchSteps<In, Out> {
  /**
   * Null when a batch may be committed now; otherwise a promise that resolves when it may (the WAL
   * checkpointer's brief pause). Meanwhile new items keep gathering for that batch.
   */
  ready?(): Promise<void> | null;
  /**
   * Stores a whole batch in one transaction and returns one result per item, in order: a value, or
   * an Error for an item that failed alone (the others kept).
   */
  commit(items: In[]): Promise<(Out | Error)[]>;
  /** Resolves once the commit is on disk; omitted when `commit` already waited for the disk. */
  durable?(): Promise<void>;
  /**
   * Runs right after the batch is durable, before any of its promises resolves (fan-out goes here).
   * A promise it returns is waited for (its failure logged) before they resolve: with stores that
   * answer asynchronously, fan-out that reads first would otherwise go out after the acks, and a
   * process that died in between would have acknowledged news no other process ever heard.
   */
  afterDurable?(items: In[], results: (Out | Error)[]): unknown;
}

interface Pending<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (err: unknown) => void;
}

export function createBatchWriter<In, Out>({ ready, commit, durable, afterDurable }: BatchSteps<In, Out>): BatchWriter<In, Out> {
  let queue: Pending<In, Out>[] = [];
  /** True from a batch's commit until it is acknowledged; meanwhile new items gather for the next one. */
  let writing = false;
  let whenDrained: (() => void)[] = [];

  const settle = (batch: Pending<In, Out>[], results: (Out | Error)[]) => {
    const failed = (err: unknown) => console.error('[parley] after-commit step failed (messages are stored):', err);
    const resolveAll = () =>
      batch.forEach((entry, i) => {
        const result = results[i];
        if (result instanceof Error) entry.reject(result);
        else entry.resolve(result as Out);
      });
    let told: unknown;
    try {
      told = afterDurable?.(batch.map((entry) => entry.item), results);
    } catch (err) {
      failed(err);
    }
    if (told instanceof Promise) void told.catch(failed).then(resolveAll);
    else resolveAll();
  };

  const writeNext = () => {
    if (queue.length === 0) {
      writing = false;
      for (const done of whenDrained) done();
      whenDrained = [];
      return;
    }
    writing = true;
    const paused = ready?.();
    if (paused) {
      void paused.then(writeNext);
      return;
    }
    const batch = queue;
    queue = [];
    commit(batch.map((entry) => entry.item))
      .then((results) => {
        if (results.length !== batch.length) throw new Error('commit returned the wrong number of results');
        if (!durable) {
          settle(batch, results);
          writeNext();
          return;
        }
        durable()
          .then(
            () => settle(batch, results),
            // Stored but not known to be on disk: not acknowledged. The widget sends it again and the
            // clientId makes the retry an acknowledgement of the row already there.
            (err: unknown) => {
              console.error('[parley] could not flush messages to disk:', err);
              for (const entry of batch) entry.reject(err);
            },
          )
          // After this turn's I/O callbacks, so every frame that arrived during the fsync joins the next batch.
          .finally(() => setImmediate(writeNext));
      })
      .catch((err: unknown) => {
        for (const entry of batch) entry.reject(err);
        writeNext();
      });
  };

  return {
    add(item) {
      return new Promise<Out>((resolve, reject) => {
        // setImmediate runs after the I/O callbacks of this turn: every frame already read joins.
        if (!writing && queue.length === 0) setImmediate(writeNext);
        queue.push({ item, resolve, reject });
      });
    },
    drained() {
      if (!writing && queue.length === 0) return Promise.resolve();
      return new Promise((done) => whenDrained.push(done));
    },
  };
}

/**
 * A batch's commit on any engine: every item in one transaction (`inTransaction`, which hands its work
 * what the transaction's writes go through), stored by one call of `store` so it can write the whole
 * batch in a few statements; if that breaks the transaction (rolled back whole), each item alone, so
 * only that item fails. Rare, so the common path pays for no savepoint per item (on SQLite they
 * doubled a batch's cost).
 */
export async function storeBatchOrEach<In, Out, Tx>(
  items: In[],
  inTransaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  store: (tx: Tx, items: In[]) => Promise<Out[]>,
): Promise<(Out | Error)[]> {
  try {
    return await inTransaction((tx) => storeAll(tx, items, store));
  } catch {
    const results: (Out | Error)[] = [];
    for (const item of items) {
      try {
        const [result] = await inTransaction((tx) => storeAll(tx, [item], store));
        results.push(result as Out);
      } catch (err) {
        results.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return results;
  }
}

/** `store`'s results, checked to be one per item: a short answer would leave an item unanswered. */
async function storeAll<In, Out, Tx>(tx: Tx, items: In[], store: (tx: Tx, items: In[]) => Promise<Out[]>): Promise<Out[]> {
  const results = await store(tx, items);
  if (results.length !== items.length) throw new Error(`stored ${results.length} results for ${items.length} items`);
  return results;
}

/**
 * Group commit on Parley's database: `store` writes a batch of items, returning one result each (the
 * transaction is this module's), and `add` resolves once the item is on disk. A batch the
 * checkpointer pauses keeps gathering items.
 */
export function durableBatches<In, Out>(
  db: Db,
  steps: { store(items: In[]): Promise<Out[]>; afterDurable?(items: In[], results: (Out | Error)[]): unknown },
): BatchWriter<In, Out> {
  const { store, afterDurable } = steps;
  return createBatchWriter<In, Out>({
    ready: () => writesPaused(db),
    // No fsync in the commit: `durable` flushes the batch from libuv's thread pool while the event
    // loop keeps serving sockets, and nobody hears of an item before it is on disk.
    commit: (items) =>
      storeBatchOrEach(items, (work) => inAsyncTransaction(db, () => work(undefined), { fsync: false }), (_tx, batch) => store(batch)),
    durable: () => syncToDisk(db),
    afterDurable,
  });
}

/**
 * Runs `work` in one transaction and resolves once it is on disk, with the fsync off the event loop:
 * for writes too large to flush inline. Fsynced on the main thread, the megabytes of WAL a 10 MB
 * email writes stalled every chat socket for 100+ ms (bench/hostileEmail.ts).
 */
export async function commitDurably<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const result = await inAsyncTransaction(db, work, { fsync: false });
  await syncToDisk(db);
  return result;
}
