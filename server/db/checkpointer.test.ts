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
    // At normal priority and with a generous cap: this loop keeps a CPU busy, and with other tests
    // running beside it a nice-19 worker could wait seconds for a turn. The restart is under test here.
    const checkpointer = startCheckpointer(path, pause, { everyMs: 25, maxWritePauseMs: 5_000, lowPriority: false });
    const walPath = `${path}-wal`;
    let commits = 0;
    let pauses = 0;
    let restartsRightAfterAPause = 0;
    try {
      // Like the chat batch writer: a commit in every turn of the event loop, except during a pause.
      for (let turn = 0; turn < 50_000 && pauses < 3; turn++) {
        const paused = pause.whilePaused;
        if (paused) {
          await paused;
          pauses++;
          // The worker caught up while nothing was committed: this commit starts the WAL over.
          const restartsBefore = walRestarts(walPath);
          commitBatch();
          if (walRestarts(walPath) === restartsBefore + 1) restartsRightAfterAPause++;
        } else {
          commitBatch();
          commits++;
        }
        await nextTurn();
      }
    } finally {
      await checkpointer.stop();
      sqlite.close();
    }
    expect(pauses).toBe(3);
    expect(restartsRightAfterAPause).toBe(3);
    expect(commits).toBeGreaterThan(50); // the commits did go on between the pauses
  });

  it('lets the writes go on if the pause is not ended in time', async () => {
    const pause = new WritePause();
    pause.pause(5);
    expect(pause.whilePaused).not.toBeNull();
    await pause.whilePaused;
    expect(pause.whilePaused).toBeNull();
  });
});
