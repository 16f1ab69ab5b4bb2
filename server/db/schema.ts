// The SQLite schema, declared once for drizzle. `npm run db:generate` turns changes here into a new
// migration under server/db/migrations; never edit an applied migration by hand.
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
  /**
   * What the agent chose in the top bar's Status select. Only an Available agent with an inbox
   * open counts as "agent online" for the widget and the channel picker.
   */
  availability: text('availability', { enum: ['available', 'away'] }).notNull().default('available'),
  /** Their picture in the file store (server/attachments/), by SHA-256; null shows initials. */
  avatarSha256: text('avatar_sha256'),
  avatarType: text('avatar_type'),
  /** JSON object of the agent's own choices (notifications, sound, shortcuts), validated on read. */
  preferences: text('preferences').notNull().default('{}'),
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

/**
 * The participant a conversation belongs to, of one of three kinds: a web visitor (known by the
 * widget's cookie token), an email sender (known by their contact), or a Messenger sender (known by
 * their page-scoped id, and never given a contact record). The table keeps its first name.
 */
export const visitors = sqliteTable(
  'visitors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['web', 'email', 'messenger'] }).notNull().default('web'),
    /** SHA-256 of the cookie token (web visitors only); the token itself is never stored. */
    tokenHash: text('token_hash'),
    /** Messenger's page-scoped id of the sender (Messenger participants only). */
    messengerPsid: text('messenger_psid'),
    /** Set only once the address is verified (signed identify, or a reply from that mailbox). */
    contactId: integer('contact_id').references(() => contacts.id),
    /**
     * An email the visitor typed (widget form, unsigned `Parley('identify')`): a claim, not an identity.
     * Replies may go to it, but it links to no contact until the visitor proves the mailbox.
     */
    unverifiedEmail: text('unverified_email'),
    name: text('name'),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** The host page the widget last reported, and how the visitor got there (contact panel). */
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
    /** The highest `messages.seq` the visitor has seen in the widget (drives the launcher's unread count). */
    visitorSeenSeq: integer('visitor_seen_seq').notNull().default(0),
    /** Visitor messages since any agent last opened it; shared by all agents (0 = read). */
    unreadCount: integer('unread_count').notNull().default(0),
    /** When the participant last wrote, on any channel (Messenger's 24-hour window counts from it). */
    lastInboundAt: integer('last_inbound_at'),
    /** Unguessable part of this conversation's email Reply-To address (set by the first email). */
    replyToken: text('reply_token'),
    /** When unseen chat replies are due to be emailed to the visitor; null when none are pending. */
    emailFollowupAt: integer('email_followup_at'),
    /** The agent who owns it; null = unassigned. Replying to an unassigned conversation takes it. */
    assigneeId: integer('assignee_id').references(() => agents.id),
    /** The last `messages.seq` handed out here: each new message takes the next under this row's write. */
    lastSeq: integer('last_seq').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    // The inbox list is "newest activity first", paged by keyset on (last_message_at, id).
    index('conversations_activity_idx').on(t.lastMessageAt, t.id),
    index('conversations_status_activity_idx').on(t.status, t.lastMessageAt, t.id),
    index('conversations_visitor_idx').on(t.visitorId),
    // The unread total for the nav dot: open conversations with unread messages, without a scan.
    // Partial and keyed by id, so a visitor's second, third… unread message leaves it untouched
    // (keyed by unread_count, every visitor message moved the entry: one more page per commit).
    index('conversations_unread_open_idx')
      .on(t.id)
      .where(sql`${t.status} = 'open' and ${t.unreadCount} > 0`),
    uniqueIndex('conversations_reply_token_idx').on(t.replyToken),
    index('conversations_email_followup_idx').on(t.emailFollowupAt),
    // The list's "Assigned to" filter, newest activity first like the unfiltered list.
    index('conversations_assignee_activity_idx').on(t.assigneeId, t.lastMessageAt, t.id),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id').notNull().references(() => conversations.id),
    /**
     * Its place in the conversation, 1, 2, 3… without gaps: taken from `conversations.last_seq` in the
     * message's own transaction, so it commits in order per conversation. Catch-up (`sinceSeq`) and the
     * visitor's seen watermark count in seq, never in ids: with several writers (PostgreSQL) a higher
     * id can commit before a lower one.
     */
    seq: integer('seq').notNull(),
    author: text('author', { enum: ['visitor', 'agent'] }).notNull(),
    agentId: integer('agent_id').references(() => agents.id),
    channel: text('channel', { enum: ['chat', 'email', 'messenger'] }).notNull().default('chat'),
    body: text('body').notNull(),
    /** Sender-generated id; unique per conversation so a resent message is stored once. */
    clientId: text('client_id'),
    /** The channel's own id (an email's Message-ID, a Messenger mid): a redelivery is stored once. */
    externalId: text('external_id'),
    /** Outgoing email and Messenger messages: where delivery stands. Null for chat. */
    deliveryState: text('delivery_state', { enum: ['queued', 'sent', 'delivered', 'read', 'failed', 'bounced', 'complained'] }),
    /** Why delivery failed, in words an agent can act on. */
    deliveryError: text('delivery_error'),
    /**
     * An email reply that came From an address other than the contact's: threaded for agents, but
     * never shown in the visitor's widget.
     */
    otherSender: text('other_sender'),
    /** JSON array of Attachment (shared/protocol.ts): files kept in server/attachments/, or null. */
    attachments: text('attachments'),
    /**
     * Sent by a machine (an auto-reply, an out-of-office): shown as a muted line; it neither reopens
     * the conversation nor counts as unread.
     */
    automatic: integer('automatic', { mode: 'boolean' }).notNull().default(false),
    /** When the sender last edited it (Messenger's message_edit); null if never. */
    editedAt: integer('edited_at'),
    /** JSON array of `{emoji, author}` (Messenger reactions), or null. */
    reactions: text('reactions'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messages_client_id_idx').on(t.conversationId, t.clientId),
    uniqueIndex('messages_external_id_idx').on(t.channel, t.externalId),
    // A thread is read in seq order; this index also serves every other lookup by conversation (it
    // replaced one on (conversation_id, id), so storing a message writes no more index entries than before).
    uniqueIndex('messages_conversation_seq_idx').on(t.conversationId, t.seq),
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

/**
 * Outgoing email, queued in the same transaction as the message it carries, sent by the email
 * worker with retries. The row is also what Settings → Outbox shows when no provider is configured.
 */
export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id').notNull().references(() => conversations.id),
    /** The message whose delivery state this email reports (the reply, or the last unseen reply). */
    messageId: integer('message_id').references(() => messages.id),
    kind: text('kind', { enum: ['reply', 'followup', 'transcript'] }).notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    /** Our Message-ID header, `<…@domain>`; replies quote it in In-Reply-To/References. */
    messageIdHeader: text('message_id_header').notNull(),
    inReplyTo: text('in_reply_to'),
    /** Space-separated Message-IDs, oldest first. */
    references: text('references'),
    replyTo: text('reply_to').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed', 'bounced', 'complained'] }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    /** 'resend' or 'local' (written to this table only): how it was sent. */
    transport: text('transport'),
    providerId: text('provider_id'),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('email_outbox_message_id_header_idx').on(t.messageIdHeader),
    index('email_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('email_outbox_conversation_idx').on(t.conversationId),
    // How many emails went to one address today (the cap on mail to unverified addresses).
    index('email_outbox_to_address_idx').on(t.toAddress, t.createdAt),
    // Resend's delivery events name the email by its id.
    index('email_outbox_provider_id_idx').on(t.providerId),
  ],
);

/**
 * Every inbound email as it arrived, beside the message it became: the message keeps only the new
 * text (quoted history stripped), this keeps the whole body and who sent it.
 */
/**
 * Bytes as they arrived from outside (an inbound email), stored in chunks of at most 64 KB, each in a
 * transaction of its own: a 10 MB email written in one go held the event loop for 150 ms.
 */
export const rawSources = sqliteTable('raw_sources', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  byteLength: integer('byte_length').notNull(),
  createdAt: createdAt(),
});

export const rawSourceChunks = sqliteTable(
  'raw_source_chunks',
  {
    sourceId: integer('source_id')
      .notNull()
      .references(() => rawSources.id),
    seq: integer('seq').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.seq] })],
);

export const inboundEmails = sqliteTable(
  'inbound_emails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id),
    messageIdHeader: text('message_id_header').notNull(),
    fromAddress: text('from_address').notNull(),
    subject: text('subject').notNull(),
    /** The text as read (up to a cap: the raw source below holds everything). */
    originalText: text('original_text').notNull(),
    /** The email as it arrived (raw RFC 822 bytes, or Resend's record of it), so nothing in it is ever lost. */
    rawSourceId: integer('raw_source_id').references(() => rawSources.id),
    /** Parsing gave up (time budget, size or structure caps): the agent sees a note, the raw source is kept. */
    unreadable: integer('unreadable', { mode: 'boolean' }).notNull().default(false),
    /** How it found its conversation: reply token, In-Reply-To/References, the sender's contact, or new. */
    threadedBy: text('threaded_by', { enum: ['token', 'header', 'contact', 'new'] }).notNull(),
    receivedAt: createdAt(),
  },
  (t) => [uniqueIndex('inbound_emails_message_idx').on(t.messageId)],
);

/**
 * A kept file (server/attachments/): its bytes are in the data folder's file store under their
 * SHA-256, stored once however many messages carry them; this row is one message's copy of it,
 * with the name and type its sender gave. Downloaded by id at /api/attachments/:id.
 */
export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Hex SHA-256 of the bytes: the file's name in the store. */
    sha256: text('sha256').notNull(),
    byteLength: integer('byte_length').notNull(),
    /** As the sender declared it (lower-case); what we serve it as is decided at download. */
    mimeType: text('mime_type').notNull(),
    name: text('name').notNull(),
    /** Set in the transaction that stores the message; null only for a message stored twice at once. */
    messageId: integer('message_id').references(() => messages.id),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_message_idx').on(t.messageId)],
);

/**
 * Messages whose text changed after they were stored (a Messenger edit), in order: the search
 * index's thread (storage/sqlite/searchIndex.ts) re-indexes each and remembers how far it got. Written
 * in the edit's own transaction, so no edit is missed.
 */
export const searchReindex = sqliteTable('search_reindex', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  messageId: integer('message_id')
    .notNull()
    .references(() => messages.id),
});

/**
 * A private note agents leave on a conversation. A table of its own, not a kind of message: every
 * path that reaches a visitor or a channel reads `messages`, so a note cannot leak by a missed filter.
 */
export const notes = sqliteTable(
  'notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id').notNull().references(() => conversations.id),
    agentId: integer('agent_id').notNull().references(() => agents.id),
    body: text('body').notNull(),
    /** JSON array of the agent ids its `@name` mentions named (they are notified). */
    mentions: text('mentions').notNull().default('[]'),
    createdAt: createdAt(),
  },
  (t) => [index('notes_conversation_idx').on(t.conversationId, t.id)],
);

/** Settings an admin changes in the inbox (the widget's look, hours and texts), one JSON value per key. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * One row that GET /healthz rewrites: a commit that succeeds is the proof the database takes
 * writes (lock free, file writable, room on the disk), which a rolled-back transaction is not.
 */
export const writeProbe = sqliteTable('write_probe', {
  id: integer('id').primaryKey(),
  writtenAt: integer('written_at').notNull(),
});
