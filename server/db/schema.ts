// The SQLite schema, declared once for drizzle. `npm run db:generate` turns changes here into a new
// migration under server/db/migrations; never edit an applied migration by hand.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const agents = sqliteTable('agents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Always stored lower-case so sign-in is case-insensitive. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** `scrypt$N$r$p$salt$hash`, see agents/passwords.ts. */
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['admin', 'agent'] }).notNull().default('agent'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: createdAt(),
});

export const agentSessions = sqliteTable(
  'agent_sessions',
  {
    /** SHA-256 of the cookie value: a leaked database does not leak live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    agentId: integer('agent_id').notNull().references(() => agents.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('agent_sessions_agent_idx').on(t.agentId)],
);

export const contacts = sqliteTable('contacts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Lower-case; one contact per address. */
  email: text('email').notNull().unique(),
  name: text('name'),
  createdAt: createdAt(),
});

export const visitors = sqliteTable(
  'visitors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    contactId: integer('contact_id').references(() => contacts.id),
    name: text('name'),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** The host page the widget last reported, and how the visitor got there (contact panel). */
    pageUrl: text('page_url'),
    referrer: text('referrer'),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('visitors_token_idx').on(t.tokenHash), index('visitors_contact_idx').on(t.contactId)],
);

export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    visitorId: integer('visitor_id').notNull().references(() => visitors.id),
    status: text('status', { enum: ['open', 'complete'] }).notNull().default('open'),
    lastMessageAt: integer('last_message_at').notNull(),
    lastMessagePreview: text('last_message_preview').notNull().default(''),
    lastMessageAuthor: text('last_message_author', { enum: ['visitor', 'agent'] }).notNull().default('visitor'),
    /** Which agent wrote the last message (the list says "Grace: …", or "You: …" to Grace). */
    lastMessageAgentId: integer('last_message_agent_id').references(() => agents.id),
    /** Highest message id the visitor has seen in the widget (drives the launcher's unread count). */
    visitorSeenMessageId: integer('visitor_seen_message_id').notNull().default(0),
    /** Visitor messages since any agent last opened it; shared by all agents (0 = read). */
    unreadCount: integer('unread_count').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    // The inbox list is "newest activity first", paged by keyset on (last_message_at, id).
    index('conversations_activity_idx').on(t.lastMessageAt, t.id),
    index('conversations_status_activity_idx').on(t.status, t.lastMessageAt, t.id),
    index('conversations_visitor_idx').on(t.visitorId),
    // The unread total for the nav dot: open conversations with unread messages, without a scan.
    index('conversations_unread_idx').on(t.status, t.unreadCount),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id').notNull().references(() => conversations.id),
    author: text('author', { enum: ['visitor', 'agent'] }).notNull(),
    agentId: integer('agent_id').references(() => agents.id),
    channel: text('channel', { enum: ['chat'] }).notNull().default('chat'),
    body: text('body').notNull(),
    /** Sender-generated id; unique per conversation so a resent message is stored once. */
    clientId: text('client_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messages_client_id_idx').on(t.conversationId, t.clientId),
    index('messages_conversation_idx').on(t.conversationId, t.id),
  ],
);

export const savedResponses = sqliteTable(
  'saved_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Free text; the list of categories is whatever the saved responses use. */
    category: text('category').notNull(),
    createdBy: integer('created_by').references(() => agents.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('saved_responses_category_idx').on(t.category, t.title)],
);
