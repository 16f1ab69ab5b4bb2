// The PostgreSQL schema (PARLEY_DATABASE_URL=postgres://…), table for table and column for column the
// SQLite one (../schema.ts), so one set of row types serves both engines; schemaParity.test.ts fails
// when they drift. `npm run db:generate` writes a migration for each engine. What differs, and why:
// - Times stay milliseconds since the epoch, as bigint read back as numbers (never past 2^53).
// - Ids are identity columns. (Order within a conversation is `messages.seq`, as in SQLite: taken
//   under the conversation row's lock, since with several writers a higher id can commit first.)
// - Search reads a generated tsvector with a GIN index instead of SQLite's FTS5 side database.
import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** Milliseconds since the epoch: 2^53 ms is the year 287,396, so numbers are exact. */
const millis = (name: string) => bigint(name, { mode: 'number' });
const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const ref = (name: string) => bigint(name, { mode: 'number' });
const createdAt = () => millis('created_at').notNull().default(sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const agents = pgTable('agents', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['admin', 'agent'] }).notNull().default('agent'),
  active: boolean('active').notNull().default(true),
  availability: text('availability', { enum: ['available', 'away'] }).notNull().default('available'),
  avatarSha256: text('avatar_sha256'),
  avatarType: text('avatar_type'),
  preferences: text('preferences').notNull().default('{}'),
  createdAt: createdAt(),
});

export const agentSessions = pgTable(
  'agent_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    agentId: ref('agent_id')
      .notNull()
      .references(() => agents.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: millis('expires_at').notNull(),
  },
  (t) => [index('agent_sessions_agent_idx').on(t.agentId)],
);

export const contacts = pgTable('contacts', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name'),
  createdAt: createdAt(),
});

export const visitors = pgTable(
  'visitors',
  {
    id: id(),
    kind: text('kind', { enum: ['web', 'email', 'messenger'] }).notNull().default('web'),
    tokenHash: text('token_hash'),
    messengerPsid: text('messenger_psid'),
    contactId: ref('contact_id').references(() => contacts.id),
    unverifiedEmail: text('unverified_email'),
    name: text('name'),
    createdAt: createdAt(),
    lastSeenAt: millis('last_seen_at').notNull(),
    pageUrl: text('page_url'),
    referrer: text('referrer'),
    userAgent: text('user_agent'),
  },
  (t) => [
    uniqueIndex('visitors_token_idx').on(t.tokenHash),
    uniqueIndex('visitors_messenger_psid_idx').on(t.messengerPsid),
    index('visitors_contact_idx').on(t.contactId),
  ],
);

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    visitorId: ref('visitor_id')
      .notNull()
      .references(() => visitors.id),
    status: text('status', { enum: ['open', 'complete'] }).notNull().default('open'),
    lastMessageAt: millis('last_message_at').notNull(),
    lastMessagePreview: text('last_message_preview').notNull().default(''),
    lastMessageAuthor: text('last_message_author', { enum: ['visitor', 'agent'] }).notNull().default('visitor'),
    lastMessageAgentId: ref('last_message_agent_id').references(() => agents.id),
    visitorSeenSeq: bigint('visitor_seen_seq', { mode: 'number' }).notNull().default(0),
    unreadCount: bigint('unread_count', { mode: 'number' }).notNull().default(0),
    lastInboundAt: millis('last_inbound_at'),
    replyToken: text('reply_token'),
    emailFollowupAt: millis('email_followup_at'),
    assigneeId: ref('assignee_id').references(() => agents.id),
    /** The last `messages.seq` handed out here; incremented under this row's lock. */
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('conversations_activity_idx').on(t.lastMessageAt, t.id),
    index('conversations_status_activity_idx').on(t.status, t.lastMessageAt, t.id),
    index('conversations_visitor_idx').on(t.visitorId),
    index('conversations_unread_open_idx')
      .on(t.id)
      .where(sql`${t.status} = 'open' and ${t.unreadCount} > 0`),
    uniqueIndex('conversations_reply_token_idx').on(t.replyToken),
    index('conversations_email_followup_idx').on(t.emailFollowupAt),
    index('conversations_assignee_activity_idx').on(t.assigneeId, t.lastMessageAt, t.id),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    conversationId: ref('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** Order within the conversation, without gaps or overtaking (see the file's comment). */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    author: text('author', { enum: ['visitor', 'agent'] }).notNull(),
    agentId: ref('agent_id').references(() => agents.id),
    channel: text('channel', { enum: ['chat', 'email', 'messenger'] }).notNull().default('chat'),
    body: text('body').notNull(),
    clientId: text('client_id'),
    externalId: text('external_id'),
    deliveryState: text('delivery_state', { enum: ['queued', 'sent', 'delivered', 'read', 'failed', 'bounced', 'complained'] }),
    deliveryError: text('delivery_error'),
    otherSender: text('other_sender'),
    attachments: text('attachments'),
    automatic: boolean('automatic').notNull().default(false),
    editedAt: millis('edited_at'),
    reactions: text('reactions'),
    createdAt: createdAt(),
    /**
     * The body's words for search, kept by PostgreSQL: split and folded by parley_search_text (defined in
     * migration 0002_search_words) as FTS5's unicode61 remove_diacritics 2 does, then 'simple' (no stemming).
     */
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`to_tsvector('simple', parley_search_text(body))`),
  },
  (t) => [
    uniqueIndex('messages_client_id_idx').on(t.conversationId, t.clientId),
    uniqueIndex('messages_external_id_idx').on(t.channel, t.externalId),
    uniqueIndex('messages_conversation_seq_idx').on(t.conversationId, t.seq),
    index('messages_search_idx').using('gin', t.searchVector),
  ],
);

export const savedResponses = pgTable(
  'saved_responses',
  {
    id: id(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    category: text('category').notNull(),
    createdBy: ref('created_by').references(() => agents.id),
    createdAt: createdAt(),
    updatedAt: millis('updated_at').notNull(),
  },
  (t) => [index('saved_responses_category_idx').on(t.category, t.title)],
);

export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: id(),
    conversationId: ref('conversation_id')
      .notNull()
      .references(() => conversations.id),
    messageId: ref('message_id').references(() => messages.id),
    kind: text('kind', { enum: ['reply', 'followup', 'transcript'] }).notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    messageIdHeader: text('message_id_header').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references'),
    replyTo: text('reply_to').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed', 'bounced', 'complained'] }).notNull().default('queued'),
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    nextAttemptAt: millis('next_attempt_at').notNull(),
    lastError: text('last_error'),
    transport: text('transport'),
    providerId: text('provider_id'),
    createdAt: createdAt(),
    sentAt: millis('sent_at'),
  },
  (t) => [
    uniqueIndex('email_outbox_message_id_header_idx').on(t.messageIdHeader),
    index('email_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('email_outbox_conversation_idx').on(t.conversationId),
    index('email_outbox_to_address_idx').on(t.toAddress, t.createdAt),
    index('email_outbox_provider_id_idx').on(t.providerId),
  ],
);

export const rawSources = pgTable('raw_sources', {
  id: id(),
  byteLength: bigint('byte_length', { mode: 'number' }).notNull(),
  createdAt: createdAt(),
});

export const rawSourceChunks = pgTable(
  'raw_source_chunks',
  {
    sourceId: ref('source_id')
      .notNull()
      .references(() => rawSources.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.seq] })],
);

export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: id(),
    messageId: ref('message_id')
      .notNull()
      .references(() => messages.id),
    messageIdHeader: text('message_id_header').notNull(),
    fromAddress: text('from_address').notNull(),
    subject: text('subject').notNull(),
    originalText: text('original_text').notNull(),
    rawSourceId: ref('raw_source_id').references(() => rawSources.id),
    unreadable: boolean('unreadable').notNull().default(false),
    threadedBy: text('threaded_by', { enum: ['token', 'header', 'contact', 'new'] }).notNull(),
    receivedAt: createdAt(),
  },
  (t) => [uniqueIndex('inbound_emails_message_idx').on(t.messageId)],
);

export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    sha256: text('sha256').notNull(),
    byteLength: bigint('byte_length', { mode: 'number' }).notNull(),
    mimeType: text('mime_type').notNull(),
    name: text('name').notNull(),
    messageId: ref('message_id').references(() => messages.id),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_message_idx').on(t.messageId)],
);

export const notes = pgTable(
  'notes',
  {
    id: id(),
    conversationId: ref('conversation_id')
      .notNull()
      .references(() => conversations.id),
    agentId: ref('agent_id')
      .notNull()
      .references(() => agents.id),
    body: text('body').notNull(),
    mentions: text('mentions').notNull().default('[]'),
    createdAt: createdAt(),
  },
  (t) => [index('notes_conversation_idx').on(t.conversationId, t.id)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: millis('updated_at').notNull(),
});

export const writeProbe = pgTable('write_probe', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  writtenAt: millis('written_at').notNull(),
});
