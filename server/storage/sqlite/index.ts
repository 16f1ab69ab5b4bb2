// Parley's storage on one SQLite file: the Storage interface (../index.ts) over the connection that
// server/db opens, with its durability steps (group commit, fsync off the event loop) from there, and
// the search index kept by a worker thread beside it.
import { gateOf, inAsyncTransaction, openDatabase, type Database, type Db } from '../../db';
import { commitDurably, durableBatches } from '../../db/groupCommit';
import type { OpenStorage, Storage, Stores } from '../index';
import { behindGate, straightThrough, type Synchronous } from './asyncStores';
import { sqliteAgentStore } from './agents';
import { sqliteAttachmentStore } from './attachments';
import { sqliteConversationStore } from './conversations';
import { sqliteEmailStore } from './email';
import { sqliteMessengerStore } from './messenger';
import { sqliteNoteStore } from './notes';
import { sqliteSavedResponseStore } from './savedResponses';
import { sqliteSearchStore } from './search';
import { sqliteSettingsStore } from './settings';
import { SearchIndexer } from './searchIndexer';
import { probeWrite } from './writeProbe';

/** Each store, synchronous, on the connection. */
function sqliteStores(db: Db, indexer: SearchIndexer | null): { [K in keyof Stores]: Synchronous<Stores[K]> } {
  return {
    agents: sqliteAgentStore(db),
    attachments: sqliteAttachmentStore(db),
    conversations: sqliteConversationStore(db),
    email: sqliteEmailStore(db),
    messenger: sqliteMessengerStore(db),
    notes: sqliteNoteStore(db),
    savedResponses: sqliteSavedResponseStore(db),
    search: sqliteSearchStore(db, indexer),
    settings: sqliteSettingsStore(db),
  };
}

function asyncStores(stores: ReturnType<typeof sqliteStores>, wrap: <S>(store: Synchronous<S>) => S): Stores {
  return {
    agents: wrap(stores.agents),
    attachments: wrap(stores.attachments),
    conversations: wrap(stores.conversations),
    email: wrap(stores.email),
    messenger: wrap(stores.messenger),
    notes: wrap(stores.notes),
    savedResponses: wrap(stores.savedResponses),
    search: wrap(stores.search),
    settings: wrap(stores.settings),
  };
}

/** The store on an open connection; `indexer` keeps search current (none: searches read the index as it is). */
export function sqliteStorage(db: Db, indexer: SearchIndexer | null = null): Storage {
  const stores = sqliteStores(db, indexer);
  const gate = gateOf(db);
  // One connection, so one set of transaction stores serves every transaction (one at a time).
  const tx = asyncStores(stores, straightThrough);
  return {
    ...asyncStores(stores, (store) => behindGate(store, gate)),
    transaction: (work) => inAsyncTransaction(db, () => work(tx)),
    durableBatches: ({ store, afterDurable }) => durableBatches(db, { store: (items) => store(tx, items), afterDurable }),
    commitDurably: (work) => commitDurably(db, () => work(tx)),
    probeWrite: (now) => gate.pass(() => probeWrite(db, now)),
  };
}

export interface OpenSqliteStorage extends OpenStorage {
  /** The file's connection, for tests and tools that look at the rows themselves. */
  database: Database;
}

/**
 * Opens (and migrates) the SQLite file and starts its background threads: WAL checkpoints, and
 * search indexing unless `indexSearch` is false (a command-line tool's one-off write).
 */
export function openSqliteStorage(path: string, options: { indexSearch?: boolean } = {}): OpenSqliteStorage {
  const database = openDatabase(path);
  const indexer = options.indexSearch === false ? null : new SearchIndexer(database.db, path);
  const workers: OpenStorage['workers'] = { checkpointer: database.checkpointerRunning };
  if (indexer) workers['search indexer'] = () => indexer.running;
  return {
    storage: sqliteStorage(database.db, indexer),
    database,
    workers,
    async close() {
      await indexer?.stop();
      await database.close();
    },
  };
}
