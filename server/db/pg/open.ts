// Opens PostgreSQL for Parley: a connection pool, drizzle over it, and the schema brought up to date.
// Several Parley processes may start at once on one database; what must happen once (migrations,
// the first admin) runs under a PostgreSQL advisory lock, so the others wait and then find it done.
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { pgMigrationsFolder } from '../../paths';
import * as schema from './schema';

/** Advisory lock keys: any 64-bit numbers, fixed, that no other application on the database uses. */
export const LOCKS = {
  migrations: 0x7061726c65790001n,
  firstAdmin: 0x7061726c65790002n,
} as const;

/** Where a store's queries go: the pool, or a transaction (whose `transaction` makes a savepoint). */
export type PgDb = PgDatabase<NodePgQueryResultHKT, typeof schema>;

export interface OpenPostgres {
  pool: pg.Pool;
  db: NodePgDatabase<typeof schema>;
  close(): Promise<void>;
}

/**
 * Runs `work` while holding the advisory lock `key` on one pooled connection: other processes (and
 * other callers here) asking for the same key wait until it is released, whatever `work` does.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: bigint, work: (db: PgDb) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [key.toString()]);
    try {
      return await work(drizzle(client, { schema }));
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key.toString()]);
    }
  } finally {
    client.release();
  }
}

export async function openPostgres(url: string, options: { maxConnections?: number } = {}): Promise<OpenPostgres> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle connection that breaks (a PostgreSQL restart) is dropped from the pool, not thrown.
  pool.on('error', (err) => console.warn('[parley] postgres connection lost:', err.message));
  try {
    await withAdvisoryLock(pool, LOCKS.migrations, (db) => migrate(db, { migrationsFolder: pgMigrationsFolder }));
  } catch (err) {
    await pool.end();
    throw err;
  }
  return { pool, db: drizzle(pool, { schema }), close: () => pool.end() };
}
