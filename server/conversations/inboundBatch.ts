// Group commit for visitor messages: every message that arrives in one event-loop turn is stored in
// one SQLite transaction (one fsync), then each is acknowledged. Durability is unchanged (nothing is
// acked before its commit); the cost per message drops from one disk flush to a share of one.

export interface BatchWriter<In, Out> {
  /** Resolves once `item` is committed, in the order items were added. */
  add(item: In): Promise<Out>;
}

/**
 * `commit` stores a whole batch in one transaction and returns one result per item, in order: a
 * value, or an Error for an item that failed alone (its savepoint rolled back, the others kept).
 */
export function createBatchWriter<In, Out>(
  commit: (items: In[]) => (Out | Error)[],
  /** Runs synchronously right after a commit, before any promise resolves (fan-out goes here). */
  afterCommit: (items: In[], results: (Out | Error)[]) => void = () => {},
): BatchWriter<In, Out> {
  let queue: { item: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];

  const flush = () => {
    const batch = queue;
    queue = [];
    let results: (Out | Error)[];
    try {
      results = commit(batch.map((entry) => entry.item));
      if (results.length !== batch.length) throw new Error('commit returned the wrong number of results');
    } catch (err) {
      for (const entry of batch) entry.reject(err);
      return;
    }
    const items = batch.map((entry) => entry.item);
    try {
      afterCommit(items, results);
    } catch (err) {
      console.error('[parley] after-commit step failed (messages are stored):', err);
    }
    batch.forEach((entry, i) => {
      const result = results[i];
      if (result instanceof Error) entry.reject(result);
      else entry.resolve(result as Out);
    });
  };

  return {
    add(item) {
      return new Promise<Out>((resolve, reject) => {
        // setImmediate runs after the I/O callbacks of this turn: every frame already read joins.
        if (queue.length === 0) setImmediate(flush);
        queue.push({ item, resolve, reject });
      });
    },
  };
}
