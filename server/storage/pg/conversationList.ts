// PLACEHOLDER (pg-conv): the real file comes from the helper writing the inbox list on PostgreSQL and
// replaces this one at merge. Only the signatures are here; every call rejects.
import type { ConversationPage, ConversationSummary } from '../../../shared/protocol';
import type { PgDb } from '../../db/pg/open';
import type { IsOnline, ListQuery } from '../conversations';

export function conversationSummary(db: PgDb, conversationId: number, isOnline: IsOnline): Promise<ConversationSummary | null> {
  void db, void conversationId, void isOnline;
  return Promise.reject(new Error('conversationSummary: not yet'));
}

export function conversationList(db: PgDb, query: ListQuery, isOnline: IsOnline): Promise<ConversationPage> {
  void db, void query, void isOnline;
  return Promise.reject(new Error('conversationList: not yet'));
}

export function unreadConversationCount(db: PgDb): Promise<number> {
  void db;
  return Promise.reject(new Error('unreadConversationCount: not yet'));
}
