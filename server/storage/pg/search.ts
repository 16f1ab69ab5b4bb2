// The SearchStore (../search.ts) in PostgreSQL: not written yet (every call rejects).
import type { PgDb } from '../../db/pg/open';
import type { SearchStore } from '../search';
import { notYetOnPostgres } from './notYet';

export function pgSearchStore(db: PgDb): SearchStore {
  void db;
  return notYetOnPostgres<SearchStore>('search');
}
