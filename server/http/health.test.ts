// GET /healthz as a load balancer sees it: 200 while Parley can store messages and its background
// threads run, 503 naming what is wrong otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db';
import { SearchIndexer } from '../storage/sqlite/searchIndexer';
import { sqliteStorage } from '../storage/sqlite';
import { startTestParley, waitUntil, type TestParley } from '../testing';
import { Health } from './health';

let parley: TestParley | null = null;
afterEach(async () => {
  await parley?.destroy();
  parley = null;
});

const healthz = async (url: string) => {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('GET /healthz', () => {
  it('answers 200 with every check ok, without signing in', async () => {
    parley = await startTestParley();
    expect(await healthz(parley.url)).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', workers: 'ok' } } });
    expect((await fetch(`${parley.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers 503 while the database takes no writes, and 200 again once it does', async () => {
    const running = await startTestParley();
    parley = running;
    // Another process holds SQLite's write lock (a stuck migration, someone's sqlite3 shell).
    const other = new BetterSqlite3(running.dbPath);
    other.prepare('begin immediate').run();
    try {
      expect(await healthz(running.url)).toEqual({
        status: 503,
        body: { status: 'failing', checks: { database: 'not writable (SQLITE_BUSY)', workers: 'ok' } },
      });
    } finally {
      other.prepare('rollback').run();
      other.close();
    }
    await waitUntil(() => healthz(running.url), (answer) => answer.status === 200);
  });
});

describe('the workers check', () => {
  it('fails once a background thread has stopped, and names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-health-'));
    const dbPath = join(dir, 'parley.db');
    const database = openDatabase(dbPath);
    const indexer = new SearchIndexer(database.db, dbPath);
    let clock = 0;
    const health = new Health(sqliteStorage(database.db), { checkpointer: database.checkpointerRunning, 'search indexer': () => indexer.running }, () => clock);
    try {
      expect((await health.report()).checks.workers).toBe('ok');
      await indexer.stop();
      clock += 1_000;
      expect((await health.report())).toEqual({ status: 'failing', checks: { database: 'ok', workers: 'stopped: search indexer' } });
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
