// The EmailStore (../email.ts) in PostgreSQL: not written yet (every call rejects).
import type { PgDb } from '../../db/pg/open';
import type { EmailStore } from '../email';
import { notYetOnPostgres } from './notYet';

export function pgEmailStore(db: PgDb): EmailStore {
  void db;
  return notYetOnPostgres<EmailStore>('email');
}
