// The AttachmentStore (../attachments.ts) in PostgreSQL: not written yet (every call rejects).
import type { PgDb } from '../../db/pg/open';
import type { AttachmentStore } from '../attachments';
import { notYetOnPostgres } from './notYet';

export function pgAttachmentStore(db: PgDb): AttachmentStore {
  void db;
  return notYetOnPostgres<AttachmentStore>('attachments');
}
