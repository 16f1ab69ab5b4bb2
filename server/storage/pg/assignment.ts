// PLACEHOLDER (pg-conv): the real file comes from the helper writing assignment on PostgreSQL and
// replaces this one at merge. Only the signatures are here; every call rejects.
import type { PgDb } from '../../db/pg/open';

export function setAssignee(db: PgDb, conversationId: number, agentId: number | null): Promise<void> {
  void db, void conversationId, void agentId;
  return Promise.reject(new Error('setAssignee: not yet'));
}

export function assignIfUnassigned(db: PgDb, conversationId: number, agentId: number): Promise<boolean> {
  void db, void conversationId, void agentId;
  return Promise.reject(new Error('assignIfUnassigned: not yet'));
}
