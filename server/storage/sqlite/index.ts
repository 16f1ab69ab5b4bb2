// Parley's storage on one SQLite file: the Storage interface (../index.ts) over the connection that
// server/db opens, with its durability steps (group commit, fsync off the event loop) from there.
import { inTransaction, type Db } from '../../db';
import { commitDurably, durableBatches } from '../../db/groupCommit';
import type { Storage } from '../index';
import { sqliteAgentStore } from './agents';
import { sqliteConversationStore } from './conversations';
import { sqliteEmailStore } from './email';
import { sqliteMessengerStore } from './messenger';
import { sqliteSavedResponseStore } from './savedResponses';
import { sqliteSearchStore } from './search';
import { probeWrite } from './writeProbe';

export function sqliteStorage(db: Db): Storage {
  return {
    agents: sqliteAgentStore(db),
    conversations: sqliteConversationStore(db),
    email: sqliteEmailStore(db),
    messenger: sqliteMessengerStore(db),
    savedResponses: sqliteSavedResponseStore(db),
    search: sqliteSearchStore(db),
    transaction: (work) => inTransaction(db, work),
    durableBatches: (steps) => durableBatches(db, steps),
    commitDurably: (work) => commitDurably(db, work),
    probeWrite: (now) => probeWrite(db, now),
  };
}
