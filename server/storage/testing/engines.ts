// The storage engines a store's tests run on: SQLite (a real file in a temporary folder) and
// PostgreSQL (a private server, scripts/testServices.ts, started once per test file and emptied
// between tests). Each opens the whole Storage, with one agent to be an author and one conversation,
// or with nothing at all: a fresh install.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { ensureServicePackages, startPostgres, type RunningService } from '../../../scripts/testServices';
import { schema as sqliteSchema } from '../../db';
import { openPostgres, type OpenPostgres } from '../../db/pg/open';
import * as pgSchema from '../../db/pg/schema';
import type { Storage } from '../index';
import { pgStorage } from '../pg';
import { openSqliteStorage, type OpenSqliteStorage } from '../sqlite';

/** The storage, fresh and empty but for an agent (Ada) and a conversation with a web visitor. */
export interface EngineStores extends Storage {
  agentId: number;
  conversationId: number;
  visitorId: number;
}

export interface StorageEngine {
  name: string;
  /** Empty stores but for Ada and her conversation (the first call on PostgreSQL starts the server: allow two minutes). */
  open(): Promise<EngineStores>;
  /** Empty stores: a fresh install, no agent at all. */
  openEmpty(): Promise<Storage>;
  close(): Promise<void>;
}

/** Every table of the PostgreSQL schema (drizzle's migration log is in its own schema). */
const pgTables = Object.values(pgSchema)
  .filter((value) => is(value, PgTable))
  .map((table) => `"${getTableName(table)}"`);

const AGENT = { email: 'ada@example.com', name: 'Ada', passwordHash: 'x' };

export function sqliteEngine(): StorageEngine {
  let folder: string | undefined;
  let opened: OpenSqliteStorage | undefined;
  const close = async () => {
    await opened?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
    opened = undefined;
    folder = undefined;
  };
  const openEmpty = async () => {
    await close();
    folder = mkdtempSync(join(tmpdir(), 'parley-engine-'));
    opened = openSqliteStorage(join(folder, 'parley.db'), { indexSearch: true });
    return opened;
  };
  return {
    name: 'SQLite',
    async open() {
      const { storage, database } = await openEmpty();
      const agent = database.db.insert(sqliteSchema.agents).values(AGENT).returning().get();
      const { visitor } = await storage.conversations.createVisitor(1000);
      const conversation = await storage.conversations.createConversation(visitor.id, 1000);
      return { ...storage, agentId: agent.id, conversationId: conversation.id, visitorId: visitor.id };
    },
    openEmpty: async () => (await openEmpty()).storage,
    close,
  };
}

export function postgresEngine(): StorageEngine {
  let server: RunningService | undefined;
  let opened: OpenPostgres | undefined;
  const openEmpty = async () => {
    if (!server) {
      ensureServicePackages();
      server = await startPostgres();
      // More connections than a test's concurrent transactions, so each runs on its own, as each process would.
      opened = await openPostgres(server.url, { maxConnections: 20 });
    }
    const db = opened!.db;
    await db.execute(`truncate ${pgTables.join(', ')} restart identity cascade`);
    return db;
  };
  return {
    name: 'PostgreSQL',
    async open() {
      const db = await openEmpty();
      const [agent] = await db.insert(pgSchema.agents).values(AGENT).returning();
      const [visitor] = await db.insert(pgSchema.visitors).values({ lastSeenAt: 1000 }).returning();
      const [conversation] = await db.insert(pgSchema.conversations).values({ visitorId: visitor!.id, lastMessageAt: 1000 }).returning();
      return { ...pgStorage(db), agentId: agent!.id, conversationId: conversation!.id, visitorId: visitor!.id };
    },
    openEmpty: async () => pgStorage(await openEmpty()),
    async close() {
      await opened?.close();
      await server?.stop();
    },
  };
}

export const storageEngines = (): StorageEngine[] => [sqliteEngine(), postgresEngine()];
