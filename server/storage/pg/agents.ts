// The AgentStore (../agents.ts) in PostgreSQL: not written yet (every call rejects).
import type { PgDb } from '../../db/pg/open';
import type { AgentStore } from '../agents';
import { notYetOnPostgres } from './notYet';

export function pgAgentStore(db: PgDb): AgentStore {
  void db;
  return notYetOnPostgres<AgentStore>('agents');
}
