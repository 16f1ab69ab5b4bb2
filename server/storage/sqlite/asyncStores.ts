// better-sqlite3 answers at once; the Stores interface (../index.ts) answers with promises, as any
// networked engine must. The SQLite stores are written synchronously (simplest and fastest) and
// turned into the interface here, in two ways: behind the connection's transaction gate for everyone
// (a call waits while a transaction is open: server/db/transactionGate.ts), and straight through for
// the work a transaction runs (`tx`), which holds the gate.
import type { TransactionGate } from '../../db/transactionGate';

/** A store's synchronous twin: each method returns its value (or a promise, where the work is truly asynchronous). */
export type Synchronous<S> = {
  [K in keyof S]: S[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R | Promise<R> : S[K];
};

type AnyMethod = (...args: unknown[]) => unknown;

function mapMethods<S>(store: Synchronous<S>, wrap: (method: AnyMethod) => AnyMethod): S {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store as Record<string, unknown>)) {
    wrapped[name] = typeof value === 'function' ? wrap(value as AnyMethod) : value;
  }
  return wrapped as S;
}

/** For a transaction's own work: the call runs now; a throw becomes a rejection, as on any engine. */
export function straightThrough<S>(store: Synchronous<S>): S {
  return mapMethods(store, (method) => (...args) => {
    try {
      return Promise.resolve(method(...args));
    } catch (err) {
      return Promise.reject(err);
    }
  });
}

/** For everyone else: the call runs now unless a transaction is open, and then right after it ends. */
export function behindGate<S>(store: Synchronous<S>, gate: TransactionGate): S {
  return mapMethods(store, (method) => (...args) => gate.pass(() => method(...args)));
}
