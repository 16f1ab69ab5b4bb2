// SQL for visitors, conversations and messages. Pure storage: no sockets, no fan-out. Every write
// that belongs together happens in one transaction so an acknowledged message is fully on disk.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Author, ChatMessage, ConversationStatus } from '../../shared/protocol';
import { schema, type Db } from '../db';

const { agents, contacts, conversations, messages, visitors } = schema;
const PREVIEW_LENGTH = 140;

export type VisitorRow = typeof visitors.$inferSelect;
export type ConversationRow = typeof conversations.$inferSelect;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function findVisitorByToken(db: Db, token: string): VisitorRow | null {
  return db.select().from(visitors).where(eq(visitors.tokenHash, hashToken(token))).get() ?? null;
}

/** Creates a visitor and returns its token: 256 random bits, shown once, stored only as a hash. */
export function createVisitor(db: Db, now = Date.now()): { visitor: VisitorRow; token: string } {
  const token = randomBytes(32).toString('base64url');
  const visitor = db.insert(visitors).values({ tokenHash: hashToken(token), lastSeenAt: now }).returning().get();
  return { visitor, token };
}

export function touchVisitor(db: Db, visitorId: number, now = Date.now()): void {
  db.update(visitors).set({ lastSeenAt: now }).where(eq(visitors.id, visitorId)).run();
}

export function conversationOfVisitor(db: Db, visitorId: number): ConversationRow | null {
  return (
    db.select().from(conversations).where(eq(conversations.visitorId, visitorId)).orderBy(desc(conversations.id)).get() ??
    null
  );
}

export function conversationById(db: Db, id: number): ConversationRow | null {
  return db.select().from(conversations).where(eq(conversations.id, id)).get() ?? null;
}

const messageColumns = {
  id: messages.id,
  conversationId: messages.conversationId,
  clientId: messages.clientId,
  author: messages.author,
  authorName: agents.name,
  channel: messages.channel,
  body: messages.body,
  createdAt: messages.createdAt,
};

function selectMessages(db: Db, where: SQL | undefined) {
  return db
    .select(messageColumns)
    .from(messages)
    .leftJoin(agents, eq(agents.id, messages.agentId))
    .where(where)
    .orderBy(asc(messages.id));
}

/** Messages of a conversation after `sinceId`, oldest first. */
export function history(db: Db, conversationId: number, sinceId = 0): ChatMessage[] {
  return selectMessages(db, and(eq(messages.conversationId, conversationId), gt(messages.id, sinceId))).all();
}

export interface NewMessage {
  conversationId: number;
  author: Author;
  agentId?: number | null;
  body: string;
  clientId?: string | null;
  now?: number;
}

/**
 * Stores a message and updates its conversation in one transaction. A message whose clientId is
 * already stored in that conversation is not stored again: the earlier copy comes back, marked
 * `duplicate`, so the caller acks it without fanning it out twice.
 */
export function insertMessage(db: Db, input: NewMessage): { message: ChatMessage; duplicate: boolean } {
  return db.transaction((tx) => {
    if (input.clientId) {
      const existing = selectMessages(
        tx as unknown as Db,
        and(eq(messages.conversationId, input.conversationId), eq(messages.clientId, input.clientId)),
      ).get();
      if (existing) return { message: existing, duplicate: true };
    }
    const now = input.now ?? Date.now();
    const row = tx
      .insert(messages)
      .values({
        conversationId: input.conversationId,
        author: input.author,
        agentId: input.agentId ?? null,
        body: input.body,
        clientId: input.clientId ?? null,
        createdAt: now,
      })
      .returning({ id: messages.id })
      .get();
    const statusChange: { status?: ConversationStatus } = input.author === 'visitor' ? { status: 'open' } : {};
    tx.update(conversations)
      .set({
        lastMessageAt: now,
        lastMessagePreview: input.body.slice(0, PREVIEW_LENGTH),
        lastMessageAuthor: input.author,
        ...statusChange,
      })
      .where(eq(conversations.id, input.conversationId))
      .run();
    const message = selectMessages(tx as unknown as Db, eq(messages.id, row.id)).get();
    if (!message) throw new Error('message vanished inside its own transaction');
    return { message, duplicate: false };
  });
}

export function createConversation(db: Db, visitorId: number, now = Date.now()): ConversationRow {
  return db.insert(conversations).values({ visitorId, lastMessageAt: now, createdAt: now }).returning().get();
}

export function markSeenByVisitor(db: Db, conversationId: number, messageId: number): void {
  db.update(conversations)
    .set({ visitorSeenMessageId: sql`max(${conversations.visitorSeenMessageId}, ${messageId})` })
    .where(eq(conversations.id, conversationId))
    .run();
}

/** Links a visitor to the contact with this email (created if new; one contact per address). */
export function identifyVisitor(db: Db, visitorId: number, input: { email?: string; name?: string }): void {
  db.transaction((tx) => {
    let contactId: number | undefined;
    if (input.email) {
      const email = input.email.toLowerCase();
      tx.insert(contacts).values({ email, name: input.name ?? null }).onConflictDoNothing().run();
      const contact = tx.select().from(contacts).where(eq(contacts.email, email)).get();
      if (!contact) throw new Error('contact vanished inside its own transaction');
      contactId = contact.id;
      if (input.name && !contact.name) tx.update(contacts).set({ name: input.name }).where(eq(contacts.id, contactId)).run();
    }
    const changes: Partial<VisitorRow> = {};
    if (contactId !== undefined) changes.contactId = contactId;
    if (input.name) changes.name = input.name;
    if (Object.keys(changes).length > 0) tx.update(visitors).set(changes).where(eq(visitors.id, visitorId)).run();
  });
}
