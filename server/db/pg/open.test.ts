// Several processes opening one empty PostgreSQL database at once: the schema is created once, every
// one of them starts, and what runs under an advisory lock never runs twice at the same time.
// A real PostgreSQL in a temporary folder (scripts/testServices.ts).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServicePackages, startPostgres, type RunningService } from '../../../scripts/testServices';
import { openPostgres, withAdvisoryLock, type OpenPostgres } from './open';
import journal from './migrations/meta/_journal.json';

let postgres: RunningService;

beforeAll(async () => {
  ensureServicePackages();
  postgres = await startPostgres();
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
});

describe('opening PostgreSQL', () => {
  it('migrates once when four processes start together on an empty database', async () => {
    const opened: OpenPostgres[] = await Promise.all(Array.from({ length: 4 }, () => openPostgres(postgres.url, { maxConnections: 2 })));
    try {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      const applied = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(applied.rows[0].n).toBe(journal.entries.length);
      const tables = await client.query("select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'messages'");
      expect(tables.rows[0].n).toBe(1);
      await client.end();
      // A later start finds nothing to do.
      const again = await openPostgres(postgres.url);
      await again.close();
    } finally {
      await Promise.all(opened.map((db) => db.close()));
    }
  });

  it('runs one holder of an advisory lock at a time, across pools', async () => {
    const pools = [new pg.Pool({ connectionString: postgres.url }), new pg.Pool({ connectionString: postgres.url })];
    let inside = 0;
    let mostInside = 0;
    const holder = (pool: pg.Pool) =>
      withAdvisoryLock(pool, 42n, async () => {
        inside++;
        mostInside = Math.max(mostInside, inside);
        await new Promise((resolve) => setTimeout(resolve, 30));
        inside--;
      });
    await Promise.all(Array.from({ length: 6 }, (_, i) => holder(pools[i % 2]!)));
    expect(mostInside).toBe(1);
    await Promise.all(pools.map((pool) => pool.end()));
  });
});
