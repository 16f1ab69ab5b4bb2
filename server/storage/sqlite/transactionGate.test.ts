// SQLite's one connection with transactions whose work awaits: a write from outside waits for the
// transaction instead of joining it, so a rollback takes back only the transaction's own work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage, type OpenSqliteStorage } from './index';

let folder: string;
let opened: OpenSqliteStorage;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'parley-gate-'));
  opened = openSqliteStorage(join(folder, 'parley.db'), { indexSearch: false });
});
afterEach(async () => {
  await opened.close();
  rmSync(folder, { recursive: true, force: true });
});

const visitorCount = () => (opened.database.sqlite.prepare('select count(*) as n from visitors').get() as { n: number }).n;

describe('a SQLite transaction whose work awaits', () => {
  it("keeps another caller's write out of it: a rollback takes back its own work only", async () => {
    const { storage } = opened;
    const order: string[] = [];
    let resume!: () => void;
    const failing = storage.transaction(async (tx) => {
      await tx.conversations.createVisitor(1000);
      await new Promise<void>((done) => (resume = done)); // a slow step: the event loop runs others meanwhile
      order.push('transaction ends');
      throw new Error('changed its mind');
    });
    const outside = storage.conversations.createVisitor(2000).then(() => order.push('outside write'));
    await new Promise((done) => setTimeout(done, 20));
    expect(order).toEqual([]); // the outside write waits at the gate
    resume();
    await expect(failing).rejects.toThrow('changed its mind');
    await outside;
    expect(order).toEqual(['transaction ends', 'outside write']);
    expect(visitorCount()).toBe(1); // the outside visitor only
  });

  it('runs transactions one after another, each seeing the last one committed', async () => {
    const { storage } = opened;
    const counts = await Promise.all(
      [1, 2, 3].map(() =>
        storage.transaction(async (tx) => {
          await tx.conversations.createVisitor(1000);
          await new Promise((done) => setTimeout(done, 5));
          return visitorCount();
        }),
      ),
    );
    expect(counts).toEqual([1, 2, 3]);
  });
});
