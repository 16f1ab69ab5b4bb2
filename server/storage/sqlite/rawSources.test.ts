// An email's raw bytes are kept exactly, and storing a large one leaves the event loop free between
// chunks, so chat acks are not held behind megabytes of SQLite writes.
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
  it('gives back exactly the bytes that arrived, across many chunks', async () => {
    const original = bytesOf(1_000_003);
    const id = await storeRawSource(database.db, original, 64 * 1024);
    expect(rawSourceBytes(database.db, id)?.equals(Buffer.from(original))).toBe(true);
  });

  it('lets other work run between its chunks', async () => {
    const events: string[] = [];
    const storing = storeRawSource(database.db, bytesOf(10 * 64 * 1024), 64 * 1024).then(() => events.push('stored'));
    setImmediate(() => events.push('other work'));
    await storing;
    expect(events).toEqual(['other work', 'stored']);
  });

  it('drops a source nothing points at', async () => {
    const id = await storeRawSource(database.db, bytesOf(200_000), 64 * 1024);
    deleteRawSource(database.db, id);
    expect(rawSourceBytes(database.db, id)).toBeNull();
    expect(database.sqlite.prepare('select count(*) from raw_source_chunks').pluck().get()).toBe(0);
  });
});
