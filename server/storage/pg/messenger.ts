// The MessengerStore (../messenger.ts) in PostgreSQL: not written yet (every call rejects).
import type { PgDb } from '../../db/pg/open';
import type { MessengerStore } from '../messenger';
import { notYetOnPostgres } from './notYet';

export function pgMessengerStore(db: PgDb): MessengerStore {
  void db;
  return notYetOnPostgres<MessengerStore>('messenger');
}
