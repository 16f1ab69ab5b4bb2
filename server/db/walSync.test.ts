import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, syncToDisk, withoutFsync } from '.';
import { WalSync } from './walSync';

describe('flushing the WAL off the main thread', () => {
  it('shares one pending fdatasync among everyone who asks while another is running', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parley-walsync-')), 'db-wal');
    writeFileSync(path, 'frames');
    const wal = new WalSync(path);
    const first = wal.sync();
    const second = wal.sync();
    const third = wal.sync();
    // The running sync may predate the second caller's commit, so the second waits for a new one...
    expect(second).not.toBe(first);
    // ...which the third shares: one disk flush for the whole group.
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    await wal.close();
  });

  it('fails a sync it could not do, and works again once it can', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parley-walsync-')), 'db-wal');
    const wal = new WalSync(path);
    await expect(wal.sync()).rejects.toThrow(/ENOENT/);
    writeFileSync(path, 'frames');
    await expect(wal.sync()).resolves.toBeUndefined();
    await wal.close();
  });

  it('has nothing to flush for an in-memory database', async () => {
    await expect(new WalSync(null).sync()).resolves.toBeUndefined();
  });

  it('flushes the WAL beside the real file when the database path is a symlink', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-walsync-'));
    mkdirSync(join(dir, 'real'));
    await openDatabase(join(dir, 'real', 'parley.db')).close();
    symlinkSync(join(dir, 'real', 'parley.db'), join(dir, 'parley.db'));
    const database = openDatabase(join(dir, 'parley.db'));
    withoutFsync(database.db, () => database.sqlite.exec('create table written (n); insert into written values (1)'));
    await expect(syncToDisk(database.db)).resolves.toBeUndefined();
    await database.close();
  });
});
