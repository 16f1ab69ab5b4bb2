// Parley's storage on one SQLite file: the Storage interface (../index.ts) over the connection that
// server/db opens, with its durability steps (group commit, fsync off the event loop) from there.
import { inTransaction, type Db } from '../../db';
import { commitDurably, durableBatches } from '../../db/groupCommit';
import type { Storage } from '../index';
import { sqliteConversationStore } from './conversations';
import { sqliteEmailStore } from './email';
import { sqliteMessengerStore } from './messenger';

export function sqliteStorage(db: Db): Storage {
  return {
    conversations: sqliteConversationStore(db),
    email: sqliteEmailStore(db),
    messenger: sqliteMessengerStore(db),
    transaction: (work) => inTransaction(db, work),
    durableBatches: (steps) => durableBatches(db, steps),
    commitDurably: (work) => commitDurably(db, work),
  };
}
