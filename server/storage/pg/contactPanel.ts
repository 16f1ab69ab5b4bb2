// PLACEHOLDER (pg-conv): the real file comes from the helper writing the contact panel on PostgreSQL
// and replaces this one at merge. Only the signature is here; every call rejects.
import type { ContactPanel } from '../../../shared/protocol';
import type { PgDb } from '../../db/pg/open';
import type { Visit } from '../conversations';

export function contactPanel(
  db: PgDb,
  conversationId: number,
  pendingVisit: (visitorId: number) => Visit | undefined,
): Promise<ContactPanel | null> {
  void db, void conversationId, void pendingVisit;
  return Promise.reject(new Error('contactPanel: not yet'));
}
