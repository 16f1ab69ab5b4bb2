// The ConversationStore (../conversations.ts) in PostgreSQL: not written yet (every call rejects).
import type { PgDb } from '../../db/pg/open';
import type { ConversationStore } from '../conversations';
import { notYetOnPostgres } from './notYet';

export function pgConversationStore(db: PgDb): ConversationStore {
  void db;
  return notYetOnPostgres<ConversationStore>('conversations');
}
