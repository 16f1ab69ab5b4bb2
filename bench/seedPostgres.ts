// Copies a database seeded by bench/seed.ts into PostgreSQL, so the cluster section (bench/cluster.ts)
// measures both engines on the same inbox: the same agents (and the bench admin's password), visitors
// (and so the same tokens), conversations and messages, ids included. The PostgreSQL schema is the
// SQLite one column for column (server/db/pg/schema.ts); generated columns (the search tsvector) are
// left for PostgreSQL to compute, and 0/1 become booleans where PostgreSQL has a boolean.
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openPostgres } from '../server/db/pg/open';

/** In the order their foreign keys need. */
const TABLES = ['agents', 'visitors', 'conversations', 'messages'] as const;
/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 60_000;

export async function copySeedToPostgres(sqlitePath: string, databaseUrl: string): Promise<{ rows: number; copyMs: number }> {
  const started = Date.now();
  const sqlite = new BetterSqlite3(sqlitePath, { readonly: true });
  // Migrated by openPostgres, as a Parley process would find it.
  const pg = await openPostgres(databaseUrl);
  let rows = 0;
  try {
    for (const table of TABLES) {
      const pgColumns = (
        await pg.pool.query<{ column_name: string; data_type: string; is_generated: string }>(
          `select column_name, data_type, is_generated from information_schema.columns where table_schema = 'public' and table_name = $1`,
          [table],
        )
      ).rows.filter((c) => c.is_generated !== 'ALWAYS');
      const sqliteColumns = new Set(sqlite.prepare<[], { name: string }>(`select name from pragma_table_info('${table}')`).all().map((c) => c.name));
      const columns = pgColumns.filter((c) => sqliteColumns.has(c.column_name));
      const booleans = columns.map((c) => c.data_type === 'boolean');
      const perStatement = Math.floor(MAX_PARAMETERS / columns.length);
      const select = sqlite.prepare(`select ${columns.map((c) => `"${c.column_name}"`).join(', ')} from ${table} order by id`).raw();
      let batch: unknown[][] = [];
      const flush = async () => {
        if (!batch.length) return;
        const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        await pg.pool.query(
          `insert into ${table} (${columns.map((c) => `"${c.column_name}"`).join(', ')}) overriding system value values ${values}`,
          batch.flatMap((row) => row.map((value, c) => (booleans[c] && value !== null ? value === 1 : value))),
        );
        rows += batch.length;
        batch = [];
      };
      for (const row of select.iterate() as IterableIterator<unknown[]>) {
        batch.push(row);
        if (batch.length >= perStatement) await flush();
      }
      await flush();
      // The identity continues after the copied ids.
      await pg.pool.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select coalesce(max(id), 1) from ${table}))`);
    }
    await pg.pool.query('analyze');
  } finally {
    sqlite.close();
    await pg.close();
  }
  return { rows, copyMs: Date.now() - started };
}

/**
 * A new database `name` on the same server as `databaseUrl`, a copy of the database `template` (which
 * nobody may be connected to), and its URL. PostgreSQL copies the files: seconds, not a second seeding.
 */
export async function copyDatabase(databaseUrl: string, template: string, name: string): Promise<string> {
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.href });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}"`);
    await client.query(`create database "${name}" template "${template}"`);
  } finally {
    await client.end();
  }
  const copy = new URL(databaseUrl);
  copy.pathname = `/${name}`;
  return copy.href;
}
