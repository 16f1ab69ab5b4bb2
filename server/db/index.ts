// Opens Parley's SQLite file and brings its schema up to date. This is the only place that knows the
// file's path and pragmas; everything else receives the `Database` handle it returns.
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { migrationsFolder } from '../paths';
import { startCheckpointer } from './checkpointer';
import * as schema from './schema';
import { TransactionGate } from './transactionGate';
import { WalSync } from './walSync';
import { WritePause } from './writePause';

export { schema };
/** The drizzle handle, with the raw better-sqlite3 connection behind it as `$client`. */
export type Db = BetterSQLite3Database<typeof schema> & { $client: BetterSqlite3.Database };

/**
 * Runs `work` in one SQLite transaction on the shared connection (a savepoint when nested), so
 * drizzle queries and raw prepared statements inside it commit or roll back together.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.$client.transaction(work)();
}

/** The connection's gate (transactionGate.ts): one per connection, created on first use. */
export function gateOf(db: Db): TransactionGate {
  let gate = gates.get(db.$client);
  if (!gate) gates.set(db.$client, (gate = new TransactionGate()));
  return gate;
}

/**
 * Runs asynchronous `work` in one transaction, holding the connection's gate from BEGIN to COMMIT so
 * nobody else's writes join it. `fsync: false` commits without waiting for the disk (the caller then
 * awaits `syncToDisk` before telling anyone). A throw rolls everything back.
 */
export function inAsyncTransaction<T>(db: Db, work: () => Promise<T>, options: { fsync?: boolean } = {}): Promise<T> {
  return gateOf(db).hold(async () => {
    const sqlite = db.$client;
    if (options.fsync === false) sqlite.pragma('synchronous = NORMAL');
    try {
      sqlite.prepare('BEGIN IMMEDIATE').run();
      try {
        const result = await work();
        sqlite.prepare('COMMIT').run();
        return result;
      } catch (err) {
        if (sqlite.inTransaction) sqlite.prepare('ROLLBACK').run();
        throw err;
      }
    } finally {
      if (options.fsync === false && sqlite.open) sqlite.pragma('synchronous = FULL');
    }
  });
}

const gates = new WeakMap<BetterSqlite3.Database, TransactionGate>();
const walSyncs = new WeakMap<BetterSqlite3.Database, WalSync>();
const writePauses = new WeakMap<BetterSqlite3.Database, WritePause>();

export interface Database {
  db: Db;
  sqlite: BetterSqlite3.Database;
  /** Whether the WAL checkpoint thread runs (an in-memory database has none and needs none). */
  checkpointerRunning(): boolean;
  close(): Promise<void>;
}

/** How many migrations this file has had (drizzle records each one in __drizzle_migrations). */
function appliedMigrations(sqlite: BetterSqlite3.Database): number {
  const recorded = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  return recorded ? (sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get() as number) : 0;
}

/**
 * A migration that rebuilds a table (SQLite's way to change a column) drops the old one while other
 * tables still point at it. Inside the migrator's transaction `PRAGMA foreign_keys` cannot change,
 * so the checks are off while migrations run and verified, all at once, before they go back on.
 */
function migrateWithForeignKeysChecked(db: Db, sqlite: BetterSqlite3.Database): void {
  const before = appliedMigrations(sqlite);
  sqlite.pragma('foreign_keys = OFF');
  migrate(db, { migrationsFolder });
  // The check reads every row that has a foreign key (60 ms at 100,000 conversations): only pay
  // for it when a migration ran, not on every start.
  if (appliedMigrations(sqlite) !== before) {
    const broken = sqlite.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`Migration left ${broken.length} broken foreign keys: ${JSON.stringify(broken.slice(0, 3))}`);
  }
  sqlite.pragma('foreign_keys = ON');
}

export function openDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a message we acknowledged survives a power cut, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrateWithForeignKeysChecked(db, sqlite);
  // SQLite keeps the WAL beside the real file when the path is a symlink: flush that one.
  const walSync = new WalSync(path === ':memory:' ? null : `${realpathSync(resolve(path))}-wal`);
  walSyncs.set(sqlite, walSync);
  if (path === ':memory:') {
    return {
      db,
      sqlite,
      checkpointerRunning: () => true,
      close: async () => {
        sqlite.close();
      },
    };
  }
  // Checkpoints happen in a worker thread, never inline in a commit (see checkpointer.ts).
  sqlite.pragma('wal_autocheckpoint = 0');
  const writePause = new WritePause();
  writePauses.set(sqlite, writePause);
  const checkpointer = startCheckpointer(path, writePause);
  return {
    db,
    sqlite,
    checkpointerRunning: () => checkpointer.running(),
    async close() {
      await walSync.close();
      sqlite.close();
      await checkpointer.stop();
    },
  };
}

/**
 * Runs `work` without waiting for an fsync: for derived or best-effort data (search index,
 * last-seen times), and for chat messages, which `syncToDisk` makes durable before they are
 * acknowledged. WAL stays consistent at synchronous=NORMAL. better-sqlite3 is synchronous, so
 * every fsync saved is time no socket waits.
 */
export function withoutFsync<T>(db: Db, work: () => T): T {
  db.$client.pragma('synchronous = NORMAL');
  try {
    return work();
  } finally {
    db.$client.pragma('synchronous = FULL');
  }
}

/**
 * Resolves once everything committed on this connection is on disk, without blocking the event
 * loop (see walSync.ts). For commits made `withoutFsync` that must still be durable before anyone
 * is told: commit, then await this, then acknowledge.
 */
export function syncToDisk(db: Db): Promise<void> {
  return walSyncs.get(db.$client)?.sync() ?? Promise.resolve();
}

/**
 * Null while the busiest writer (chat messages) may commit; during the checkpointer's brief pause
 * (writePause.ts), a promise that resolves when it ends. Other writes need not wait: a commit during
 * the pause only means the WAL starts over at a later checkpoint.
 */
export function writesPaused(db: Db): Promise<void> | null {
  return writePauses.get(db.$client)?.whilePaused ?? null;
}

/**
 * Wraps a function that prepares statements so it runs once per database handle: hot paths call
 * the result on every request and get the same prepared statements back (preparing costs more
 * than running most of them).
 */
export function preparedOnce<T>(prepare: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let prepared = cache.get(db);
    if (prepared === undefined) cache.set(db, (prepared = prepare(db)));
    return prepared;
  };
}
