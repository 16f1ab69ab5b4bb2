// Parley's storage on PostgreSQL (PARLEY_DATABASE_URL): the Storage interface (../index.ts) over a
// connection pool. Each store is built over a `PgDb`, the pool or a transaction, so a transaction's
// work gets the same stores bound to its connection. PostgreSQL's commit waits for its WAL flush, so
// a commit is durable when it resolves; group commit still takes a batch of chat messages per
// transaction, which is what keeps the round trips per message low.
import { createBatchWriter, storeBatchOrEach } from '../../db/groupCommit';
import { openPostgres, type OpenPostgres, type PgDb } from '../../db/pg/open';
import { writeProbe } from '../../db/pg/schema';
import type { OpenStorage, Storage, Stores } from '../index';
import { pgAgentStore } from './agents';
import { pgAttachmentStore } from './attachments';
import { pgConversationStore } from './conversations';
import { pgEmailStore } from './email';
import { pgMessengerStore } from './messenger';
import { pgNoteStore } from './notes';
import { pgSavedResponseStore } from './savedResponses';
import { pgSearchStore } from './search';
import { pgSettingsStore } from './settings';

/** Every store, its queries going to `db` (the pool, or a transaction). */
export function pgStores(db: PgDb): Stores {
  return {
    agents: pgAgentStore(db),
    attachments: pgAttachmentStore(db),
    conversations: pgConversationStore(db),
    email: pgEmailStore(db),
    messenger: pgMessengerStore(db),
    notes: pgNoteStore(db),
    savedResponses: pgSavedResponseStore(db),
    search: pgSearchStore(db),
    settings: pgSettingsStore(db),
  };
}

export function pgStorage(db: PgDb): Storage {
  const transaction = <T>(work: (tx: Stores) => Promise<T>): Promise<T> => db.transaction((tx) => work(pgStores(tx)));
  return {
    ...pgStores(db),
    transaction,
    commitDurably: transaction,
    durableBatches: ({ store, afterDurable }) =>
      createBatchWriter({
        commit: (items) => storeBatchOrEach(items, transaction, store),
        afterDurable,
      }),
    async probeWrite(now) {
      try {
        await db
          .insert(writeProbe)
          .values({ id: 1, writtenAt: now })
          .onConflictDoUpdate({ target: writeProbe.id, set: { writtenAt: now } });
        return 'ok';
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        return `not writable (${typeof code === 'string' ? code : (err as Error).message})`;
      }
    },
  };
}

export interface OpenPostgresStorage extends OpenStorage {
  postgres: OpenPostgres;
}

/** Connects, migrates (once across processes: an advisory lock) and returns the storage. */
export async function openPostgresStorage(url: string): Promise<OpenPostgresStorage> {
  const postgres = await openPostgres(url);
  return {
    storage: pgStorage(postgres.db),
    postgres,
    workers: {},
    close: () => postgres.close(),
  };
}
