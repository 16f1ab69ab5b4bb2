import { closeSync, mkdtempSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer';
import { WritePause } from './writePause';

/** The WAL header's checkpoint sequence number: SQLite adds one each time the WAL starts over. */
function walRestarts(walPath: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(walPath, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(12);
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('WAL checkpoints in a worker thread', () => {
  it('starts the WAL over while commits never stop, by pausing them briefly', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parley-checkpoint-')), 'parley.db');
    const sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('wal_autocheckpoint = 0');
    sqlite.exec('create table messages (id integer primary key, body text not null)');
    const insert = sqlite.prepare('insert into messages (body) values (?)');
    const commitBatch = sqlite.transaction(() => {
      for (let i = 0; i < 20; i++) insert.run('a message of some length '.repeat(8));
    });
    const pause = new WritePause();
    const checkpointer = startCheckpointer(path, pause, 25);
    const walPath = `${path}-wal`;
    const before = walRestarts((commitBatch(), walPath));
    let commits = 0;
    let pausedTurns = 0;
    let after = before;
    try {
      // Like the chat batch writer: a commit in every turn of the event loop, except during a pause.
      for (let turn = 0; turn < 50_000 && after < before + 3; turn++) {
        const paused = pause.whilePaused;
        if (paused) {
          pausedTurns++;
          await paused;
        } else {
          commitBatch();
          commits++;
        }
        await nextTurn();
        after = walRestarts(walPath);
      }
    } finally {
      await checkpointer.stop();
      sqlite.close();
    }
    // Three fresh starts: the WAL stays the size of about one checkpoint interval of writes.
    expect(after).toBeGreaterThanOrEqual(before + 3);
    expect(pausedTurns).toBeGreaterThan(0);
    expect(commits).toBeGreaterThan(50);
  });

  it('lets the writes go on if the pause is not ended in time', async () => {
    const pause = new WritePause();
    pause.pause(5);
    expect(pause.whilePaused).not.toBeNull();
    await pause.whilePaused;
    expect(pause.whilePaused).toBeNull();
  });
});
