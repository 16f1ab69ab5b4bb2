// The SavedResponseStore's behaviour, the same on every engine: SQLite (a real file) and PostgreSQL
// (a private server in a temporary folder, scripts/testServices.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureServicePackages, startPostgres, type RunningService } from '../../scripts/testServices';
import { schema as sqliteSchema } from '../db';
import { openPostgres, type OpenPostgres } from '../db/pg/open';
import * as pgSchema from '../db/pg/schema';
import { pgSavedResponseStore } from './pg/savedResponses';
import type { SavedResponseStore } from './savedResponses';
import { openSqliteStorage, type OpenSqliteStorage } from './sqlite';

/** An engine under test: a fresh, empty store with one agent to be the author. */
interface Engine {
  name: string;
  open(): Promise<{ store: SavedResponseStore; agentId: number }>;
  close(): Promise<void>;
}

function sqliteEngine(): Engine {
  let folder: string | undefined;
  let opened: OpenSqliteStorage | undefined;
  return {
    name: 'SQLite',
    async open() {
      await this.close();
      folder = mkdtempSync(join(tmpdir(), 'parley-saved-'));
      opened = openSqliteStorage(join(folder, 'parley.db'), { indexSearch: false });
      const db = opened.database.db;
      const agent = db.insert(sqliteSchema.agents).values({ email: 'ada@example.com', name: 'Ada', passwordHash: 'x' }).returning().get();
      return { store: opened.storage.savedResponses, agentId: agent.id };
    },
    async close() {
      await opened?.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
      opened = undefined;
      folder = undefined;
    },
  };
}

function postgresEngine(): Engine {
  let server: RunningService | undefined;
  let opened: OpenPostgres | undefined;
  return {
    name: 'PostgreSQL',
    async open() {
      if (!server) {
        ensureServicePackages();
        server = await startPostgres();
        opened = await openPostgres(server.url);
      }
      const db = opened!.db;
      await db.execute('truncate saved_responses, agents restart identity cascade');
      const [agent] = await db.insert(pgSchema.agents).values({ email: 'ada@example.com', name: 'Ada', passwordHash: 'x' }).returning();
      return { store: pgSavedResponseStore(db), agentId: agent!.id };
    },
    async close() {
      await opened?.close();
      await server?.stop();
    },
  };
}

for (const engine of [sqliteEngine(), postgresEngine()]) {
  describe(`saved responses on ${engine.name}`, () => {
    let store: SavedResponseStore;
    let agentId: number;

    // The first open starts PostgreSQL: allow for that.
    beforeEach(async () => {
      ({ store, agentId } = await engine.open());
    }, 120_000);
    afterAll(() => engine.close());

    it('lists by category and then title, ignoring case', async () => {
      for (const [title, category] of [
        ['returns', 'Shipping'],
        ['Delays', 'shipping'],
        ['Hello', 'Greetings'],
        ['ahoy', 'Greetings'],
      ] as const) {
        await store.create({ title, body: `${title} text`, category }, agentId, 1000);
      }
      expect((await store.list()).map((r) => `${r.category}/${r.title}`)).toEqual(['Greetings/ahoy', 'Greetings/Hello', 'shipping/Delays', 'Shipping/returns']);
    });

    it('creates, updates what it is given and deletes, answering null or false for an id that is not there', async () => {
      const created = await store.create({ title: 'Refunds', body: 'Within 30 days.', category: 'Billing' }, agentId, 1000);
      expect(created).toEqual({ id: created.id, title: 'Refunds', body: 'Within 30 days.', category: 'Billing', createdAt: 1000, updatedAt: 1000 });

      const updated = await store.update(created.id, { body: 'Within 60 days.' }, 2000);
      expect(updated).toEqual({ ...created, body: 'Within 60 days.', updatedAt: 2000 });
      expect(await store.update(created.id + 1000, { body: 'x' })).toBeNull();

      expect(await store.delete(created.id)).toBe(true);
      expect(await store.delete(created.id)).toBe(false);
      expect(await store.list()).toEqual([]);
    });
  });
}
