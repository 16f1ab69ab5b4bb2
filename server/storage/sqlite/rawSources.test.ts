// SQLite's raw sources inside: storing a large one leaves the event loop free between chunks, so chat
// acks are not held behind megabytes of SQLite writes, and a dropped one leaves no chunk behind. That
// the bytes come back exactly is in ../email.test.ts, on every engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db';
import { deleteRawSource, rawSourceBytes, storeRawSource } from './rawSources';

let dir: string;
let database: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-raw-'));
  database = openDatabase(join(dir, 'parley.db'));
});
afterEach(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7919) % 251);

describe('raw sources', () => {
  it('lets other work run between its chunks', async () => {
    const events: string[] = [];
    const storing = storeRawSource(database.db, bytesOf(10 * 64 * 1024), 64 * 1024).then(() => events.push('stored'));
    setImmediate(() => events.push('other work'));
    await storing;
    expect(events).toEqual(['other work', 'stored']);
  });

  it('drops a source nothing points at, chunks and all', async () => {
    const id = await storeRawSource(database.db, bytesOf(200_000), 64 * 1024);
    deleteRawSource(database.db, id);
    expect(rawSourceBytes(database.db, id)).toBeNull();
    expect(database.sqlite.prepare('select count(*) from raw_source_chunks').pluck().get()).toBe(0);
  });
});
