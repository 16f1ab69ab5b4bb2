// Visitors, conversations and messages in PostgreSQL: the ConversationStore (../conversations.ts), the
// twin of sqlite/conversations.ts. Several Parley processes write to one database, so what SQLite got
// from being the only writer is done here with row locks and unique indexes:
// - a message's seq is taken under its conversation row's lock (held until commit), so concurrent
//   writers get distinct, gap-free seqs in commit order;
// - clientId and external-id dedupe are checked under that lock, with the unique indexes
//   (messages_client_id_idx, messages_external_id_idx) and ON CONFLICT DO NOTHING as the backstop;
// - contacts are claimed with ON CONFLICT on their unique email.
// The inbox list, the contact panel and assignment live in their own modules, as on SQLite.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, is, isNull, sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Attachment, Channel, ChatMessage } from '../../../shared/protocol';
import type { PgDb } from '../../db/pg/open';
import { agents, contacts, conversations, messages, visitors } from '../../db/pg/schema';
import { messageFromRow, messagePreview, type ConversationRow, type ConversationStore, type MessageRow, type NewMessage, type StoredMessage, type Visit, type VisitorIdentity, type VisitorMessage, type VisitorRow } from '../conversations';
import { assignIfUnassigned, setAssignee } from './assignment';
import { contactPanel } from './contactPanel';
import { conversationList, conversationSummaries, conversationSummary, unreadConversationCount } from './conversationList';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Runs `work` in a transaction: `db`'s own when it is one (its locks last until the caller commits), else a new one. */
const atomically = <T>(db: PgDb, work: (tx: PgDb) => Promise<T>): Promise<T> =>
  is(db, PgTransaction) ? work(db) : db.transaction((tx) => work(tx));

/** A message's columns, with its author's name, as ChatMessage's fields are named. */
const messageColumns = {
  id: messages.id,
  conversationId: messages.conversationId,
  seq: messages.seq,
  clientId: messages.clientId,
  author: messages.author,
  authorName: agents.name,
  channel: messages.channel,
  body: messages.body,
  createdAt: messages.createdAt,
  deliveryState: messages.deliveryState,
  deliveryError: messages.deliveryError,
  otherSender: messages.otherSender,
  attachments: messages.attachments,
  automatic: messages.automatic,
  editedAt: messages.editedAt,
  reactions: messages.reactions,
};

/**
 * One history entry, field for field (and in the same key order) what SQLite's json_object builds:
 * plain chat messages without files leave out the delivery fields they never use (and with them
 * editedAt, reactions and automatic), everything else carries them all.
 */
function historyEntry(row: MessageRow): Partial<ChatMessage> {
  const entry: Partial<ChatMessage> = {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    clientId: row.clientId,
    author: row.author,
    authorName: row.authorName,
    channel: row.channel,
    body: row.body,
    createdAt: row.createdAt,
  };
  if (row.channel === 'chat' && row.deliveryState === null && row.otherSender === null && row.attachments === null) return entry;
  return messageFromRow(row);
}

const selectMessages = (db: PgDb) => db.select(messageColumns).from(messages).leftJoin(agents, eq(agents.id, messages.agentId));

async function messageWhere(db: PgDb, where: SQL | undefined): Promise<ChatMessage | null> {
  const [row] = await selectMessages(db).where(where).limit(1);
  return row ? messageFromRow(row) : null;
}

/** The stored message a duplicate stands for: the same clientId in the conversation first, then the channel's id. */
async function storedCopy(db: PgDb, input: NewMessage, channel: Channel): Promise<ChatMessage | null> {
  if (input.clientId) {
    const byClientId = await messageWhere(db, and(eq(messages.conversationId, input.conversationId), eq(messages.clientId, input.clientId)));
    if (byClientId) return byClientId;
  }
  return input.externalId ? messageWhere(db, and(eq(messages.channel, channel), eq(messages.externalId, input.externalId))) : null;
}

/**
 * See ConversationStore.insertMessage. Two statements on the common path: the conversation row is
 * locked (its last_seq read), then one statement, whose snapshot is taken after the lock and so sees
 * every message committed before it, checks for a stored copy, inserts and updates the conversation.
 */
async function insertMessage(db: PgDb, input: NewMessage): Promise<StoredMessage> {
  const channel = input.channel ?? 'chat';
  const conversationId = input.conversationId;
  const [locked] = await db
    .select({ lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for('update');
  if (!locked) throw new Error(`conversation ${conversationId} does not exist`);
  const seq = locked.lastSeq + 1;
  const createdAt = input.now ?? Date.now();
  const agentId = input.agentId ?? null;
  const clientId = input.clientId ?? null;
  const externalId = input.externalId ?? null;
  const deliveryState = input.deliveryState ?? null;
  const otherSender = input.otherSender ?? null;
  const attachments = input.attachments?.length ? input.attachments : null;
  const automatic = input.automatic ?? false;
  const preview = messagePreview(input.body, attachments);
  const fromVisitor = input.author === 'visitor';
  const fromPerson = fromVisitor && !automatic;
  const result = await db.execute<{ insertedId: string | null; existingId: string | null; authorName: string | null }>(sql`
    with existing as (
      select coalesce(
        (select id from messages where conversation_id = ${conversationId}::bigint and client_id = ${clientId}::text),
        (select id from messages where channel = ${channel}::text and external_id = ${externalId}::text)
      ) as id
    ),
    inserted as (
      insert into messages (conversation_id, seq, author, agent_id, body, client_id, created_at, channel, external_id,
        delivery_state, other_sender, attachments, automatic)
      select ${conversationId}::bigint, ${seq}::bigint, ${input.author}::text, ${agentId}::bigint, ${input.body}::text,
        ${clientId}::text, ${createdAt}::bigint, ${channel}::text, ${externalId}::text, ${deliveryState}::text,
        ${otherSender}::text, ${attachments ? JSON.stringify(attachments) : null}::text, ${automatic}::boolean
      from existing where existing.id is null
      on conflict do nothing
      returning id
    ),
    -- (A null clientId or externalId matches nothing.) A visitor message reopens the conversation and counts as unread; an agent reply means an agent
    -- has read it. An automatic one (an out-of-office) does neither and is no sign of life. Times only
    -- move forward: a late redelivery must not move the conversation down the list or shrink
    -- Messenger's reply window.
    touched as (
      update conversations set last_seq = ${seq}::bigint,
        last_message_at = greatest(last_message_at, ${createdAt}::bigint),
        last_message_preview = ${preview}::text, last_message_author = ${input.author}::text,
        last_message_agent_id = ${agentId}::bigint,
        status = case when ${fromPerson}::boolean then 'open' else status end,
        unread_count = case when ${fromPerson}::boolean then unread_count + 1 when ${fromVisitor}::boolean then unread_count else 0 end,
        last_inbound_at = case when ${fromPerson}::boolean then greatest(coalesce(last_inbound_at, 0), ${createdAt}::bigint) else last_inbound_at end
      where id = ${conversationId}::bigint and exists (select 1 from inserted)
      returning id
    )
    select (select id from inserted) as "insertedId", (select id from existing) as "existingId",
      (select name from agents where id = ${agentId}::bigint) as "authorName",
      (select count(*) from touched) as touched`);
  const row = result.rows[0]!;
  if (row.insertedId === null) {
    // A copy is stored: seen under the lock (existingId), or committed by a writer to another
    // conversation with the same channel id while this one waited on the unique index.
    const stored = row.existingId !== null ? await messageById(db, Number(row.existingId)) : await storedCopy(db, input, channel);
    if (!stored) throw new Error(`message ${clientId ?? externalId} conflicts with a message that cannot be found`);
    return { message: stored, duplicate: true };
  }
  const message: ChatMessage = {
    id: Number(row.insertedId),
    conversationId,
    seq,
    clientId,
    author: input.author,
    authorName: agentId === null ? null : row.authorName,
    channel,
    body: input.body,
    createdAt,
  };
  // Like historyJson: a plain chat message carries no delivery fields (see sqlite/conversations.ts).
  if (channel !== 'chat' || deliveryState || otherSender || attachments || automatic) {
    Object.assign(message, { deliveryState, deliveryError: null, otherSender, attachments, automatic, editedAt: null, reactions: null });
  }
  return { message, duplicate: false };
}

// ---- A group commit's visitor chat messages: a few statements per batch, not per message --------
// Each statement is a round trip, and a batch's transaction holds its conversations' locks until it
// commits, so the statements per message, not PostgreSQL's work, bounded chat throughput. A batch
// takes four statements whatever its size: lock its conversations, look up resent clientIds, insert
// every message and update every conversation. The guarantees are insertMessage's: seqs are taken
// under each conversation row's lock, dedupe is checked after it is held.

/** A conversation of the batch, locked: the last seq it has handed out so far. */
interface LockedConversation {
  id: number;
  lastSeq: number;
}

/** A message of the batch to insert, with its conversation and seq decided. */
interface FreshMessage {
  message: ChatMessage;
  attachments: Attachment[] | null;
}

/** Each of these visitors' newest conversation, locked until the caller commits, by visitor. */
async function lockNewestConversations(db: PgDb, visitorIds: number[]): Promise<Map<number, LockedConversation>> {
  const locked = await db.execute<{ id: string; visitorId: string; lastSeq: string }>(sql`
    select id, visitor_id as "visitorId", last_seq as "lastSeq" from conversations
    where id in (select max(id) from conversations where visitor_id = any(${sql.param(visitorIds)}::bigint[]) group by visitor_id)
    order by id for update`);
  return new Map(locked.rows.map((row) => [Number(row.visitorId), { id: Number(row.id), lastSeq: Number(row.lastSeq) }]));
}

/**
 * Each visitor's newest conversation, created if they have none, locked until the caller commits.
 * Locked in id order: two batches that share conversations take their locks in the same order, so
 * they queue instead of deadlocking.
 */
async function lockConversationsOfVisitors(db: PgDb, visitorIds: number[], now: number): Promise<Map<number, LockedConversation>> {
  const byVisitor = await lockNewestConversations(db, visitorIds);
  const without = visitorIds.filter((visitorId) => !byVisitor.has(visitorId));
  if (without.length === 0) return byVisitor;
  // A new visitor's first messages may reach two processes at once (two tabs): the visitor's row lock
  // lets one batch create the conversation, and the other, once it has the lock, finds that one.
  await db.execute(sql`select id from visitors where id = any(${sql.param(without)}::bigint[]) order by id for update`);
  for (const [visitorId, conversation] of await lockNewestConversations(db, without)) byVisitor.set(visitorId, conversation);
  const still = without.filter((visitorId) => !byVisitor.has(visitorId));
  if (still.length > 0) {
    const created = await db
      .insert(conversations)
      .values(still.map((visitorId) => ({ visitorId, lastMessageAt: now, createdAt: now })))
      .returning({ id: conversations.id, visitorId: conversations.visitorId });
    for (const row of created) byVisitor.set(row.visitorId, { id: row.id, lastSeq: 0 });
  }
  return byVisitor;
}

/** The key a message is deduplicated by: its clientId within its conversation. */
const clientKey = (conversationId: number, clientId: string) => `${conversationId}:${clientId}`;

/**
 * Messages already stored under these (conversation, clientId) pairs, by clientKey. A statement of its
 * own, after the locks are held: its snapshot then sees every message committed to those conversations.
 */
async function storedByClientId(db: PgDb, pairs: { conversationId: number; clientId: string }[]): Promise<Map<string, ChatMessage>> {
  const found = new Map<string, ChatMessage>();
  if (pairs.length === 0) return found;
  const rows = await selectMessages(db).where(
    sql`(${messages.conversationId}, ${messages.clientId}) in (select * from unnest(${sql.param(pairs.map((p) => p.conversationId))}::bigint[], ${sql.param(pairs.map((p) => p.clientId))}::text[]))`,
  );
  for (const row of rows) found.set(clientKey(row.conversationId, row.clientId!), messageFromRow(row));
  return found;
}

/**
 * Inserts the batch's new messages and brings each conversation up to date, in one statement; sets
 * each message's id. The conversation's state after its messages is what insertMessage leaves after
 * each in turn: its last seq, newest time and last preview, open, unread by as many as it got. A
 * clash with a unique index (nothing else writes these conversations while their locks are held)
 * throws, and the batch is stored again one message at a time.
 */
async function insertFresh(db: PgDb, fresh: FreshMessage[]): Promise<void> {
  const last = new Map<number, { seq: number; at: number; preview: string; added: number }>();
  for (const { message, attachments } of fresh) {
    const before = last.get(message.conversationId);
    last.set(message.conversationId, {
      seq: message.seq,
      at: Math.max(before?.at ?? message.createdAt, message.createdAt),
      preview: messagePreview(message.body, attachments),
      added: (before?.added ?? 0) + 1,
    });
  }
  const column = <T>(pick: (entry: FreshMessage) => T) => sql.param(fresh.map(pick));
  const touched = [...last];
  const conversationColumn = <T>(pick: (entry: (typeof touched)[number][1]) => T) => sql.param(touched.map(([, entry]) => pick(entry)));
  const result = await db.execute<{ id: string; conversationId: string; seq: string }>(sql`
    with inserted as (
      insert into messages (conversation_id, seq, author, body, client_id, created_at, channel, attachments, automatic)
      select conversation_id, seq, 'visitor', body, client_id, created_at, 'chat', attachments, false
      from unnest(${column((m) => m.message.conversationId)}::bigint[], ${column((m) => m.message.seq)}::bigint[],
        ${column((m) => m.message.body)}::text[], ${column((m) => m.message.clientId)}::text[],
        ${column((m) => m.message.createdAt)}::bigint[], ${column((m) => (m.attachments ? JSON.stringify(m.attachments) : null))}::text[])
        as m(conversation_id, seq, body, client_id, created_at, attachments)
      returning id, conversation_id, seq
    ),
    touched as (
      update conversations c set last_seq = t.last_seq, last_message_at = greatest(c.last_message_at, t.at),
        last_message_preview = t.preview, last_message_author = 'visitor', last_message_agent_id = null, status = 'open',
        unread_count = c.unread_count + t.added, last_inbound_at = greatest(coalesce(c.last_inbound_at, 0), t.at)
      from unnest(${sql.param(touched.map(([id]) => id))}::bigint[], ${conversationColumn((e) => e.seq)}::bigint[],
        ${conversationColumn((e) => e.at)}::bigint[], ${conversationColumn((e) => e.preview)}::text[],
        ${conversationColumn((e) => e.added)}::bigint[]) as t(id, last_seq, at, preview, added)
      where c.id = t.id
    )
    select id, conversation_id as "conversationId", seq from inserted`);
  // RETURNING promises no order: each row finds its message by (conversation, seq), which is unique.
  const bySeq = new Map(fresh.map(({ message }) => [`${message.conversationId}:${message.seq}`, message]));
  for (const row of result.rows) bySeq.get(`${row.conversationId}:${row.seq}`)!.id = Number(row.id);
  if (result.rows.length !== fresh.length) throw new Error(`inserted ${result.rows.length} of ${fresh.length} messages`);
}

/** See ConversationStore.insertVisitorMessages; the caller owns the transaction. */
async function insertVisitorMessages(db: PgDb, inputs: VisitorMessage[]): Promise<StoredMessage[]> {
  if (inputs.length === 0) return [];
  const now = Date.now();
  const conversationOf = await lockConversationsOfVisitors(db, [...new Set(inputs.map((input) => input.visitorId))], now);
  const placed = inputs.map((input) => ({ input, conversation: conversationOf.get(input.visitorId)! }));
  const stored = await storedByClientId(
    db,
    placed.filter(({ input }) => input.clientId).map(({ input, conversation }) => ({ conversationId: conversation.id, clientId: input.clientId })),
  );
  const fresh: FreshMessage[] = [];
  const results = placed.map(({ input, conversation }): StoredMessage => {
    const key = clientKey(conversation.id, input.clientId);
    const copy = input.clientId ? stored.get(key) : undefined;
    if (copy) return { message: copy, duplicate: true };
    const attachments = input.attachments?.length ? input.attachments : null;
    // The id is set once inserted. A plain chat message carries no delivery fields (see insertMessage).
    const message: ChatMessage = {
      id: 0,
      conversationId: conversation.id,
      seq: ++conversation.lastSeq,
      clientId: input.clientId,
      author: 'visitor',
      authorName: null,
      channel: 'chat',
      body: input.body,
      createdAt: input.now ?? now,
    };
    if (attachments) {
      Object.assign(message, { deliveryState: null, deliveryError: null, otherSender: null, attachments, automatic: false, editedAt: null, reactions: null });
    }
    // The same clientId again later in this batch (a resend that arrived meanwhile) is this one's duplicate.
    if (input.clientId) stored.set(key, message);
    fresh.push({ message, attachments });
    return { message, duplicate: false };
  });
  if (fresh.length > 0) await insertFresh(db, fresh);
  return results;
}

function messageById(db: PgDb, id: number): Promise<ChatMessage | null> {
  return messageWhere(db, eq(messages.id, id));
}

async function history(db: PgDb, conversationId: number, sinceSeq: number, forVisitor: boolean): Promise<string> {
  const rows = await selectMessages(db)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        gt(messages.seq, sinceSeq),
        // The widget's copy leaves out what only agents may see (mail from another address).
        forVisitor ? isNull(messages.otherSender) : undefined,
      ),
    )
    .orderBy(asc(messages.seq));
  return JSON.stringify(rows.map(historyEntry));
}

/** Who a conversation is with: a contact proved the address; a typed address is only the visitor's own claim. */
async function participantOf(db: PgDb, conversationId: number) {
  const [row] = await db
    .select({
      name: sql<string | null>`coalesce(${contacts.name}, ${visitors.name})`,
      email: sql<string | null>`coalesce(${contacts.email}, ${visitors.unverifiedEmail})`,
      verified: sql<boolean>`${contacts.id} is not null`,
    })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoin(contacts, eq(contacts.id, visitors.contactId))
    .where(eq(conversations.id, conversationId));
  return { name: row?.name ?? null, email: row?.email ?? null, emailVerified: row?.verified === true };
}

async function contactEmailOfVisitor(db: PgDb, visitorId: number): Promise<string | null> {
  const [row] = await db
    .select({ email: contacts.email })
    .from(visitors)
    .innerJoin(contacts, eq(contacts.id, visitors.contactId))
    .where(eq(visitors.id, visitorId));
  return row?.email ?? null;
}

/**
 * The contact with this address, created if new (one per address, whoever inserts it first); a name
 * fills in only where the contact has none. One statement: the unique email decides, the row is locked.
 */
async function contactWithEmail(db: PgDb, email: string, name: string | null): Promise<number> {
  const [contact] = await db
    .insert(contacts)
    .values({ email, name })
    .onConflictDoUpdate({
      target: contacts.email,
      set: {
        name: sql`case when (${contacts.name} is null or ${contacts.name} = '') and excluded.name <> '' then excluded.name else ${contacts.name} end`,
      },
    })
    .returning({ id: contacts.id });
  return contact!.id;
}

/** See sqlite/conversations.ts identifyVisitor; the visitor's row is locked while it is decided. */
function identifyVisitor(db: PgDb, visitorId: number, input: VisitorIdentity): Promise<boolean> {
  return atomically(db, async (tx) => {
    const [before] = await tx.select().from(visitors).where(eq(visitors.id, visitorId)).for('update');
    if (!before) return false;
    const changes: Partial<VisitorRow> = {};
    if (input.name && input.name !== before.name) changes.name = input.name;
    if (input.email) {
      const email = input.email.toLowerCase();
      if (input.verified) {
        const contactId = await contactWithEmail(tx, email, input.name ?? null);
        if (contactId !== before.contactId) changes.contactId = contactId;
        if (before.unverifiedEmail !== null) changes.unverifiedEmail = null;
      } else if ((await contactEmailOfVisitor(tx, visitorId)) !== email && before.unverifiedEmail !== email) {
        changes.contactId = null;
        changes.unverifiedEmail = email;
      }
    }
    if (Object.keys(changes).length === 0) return false;
    await tx.update(visitors).set(changes).where(eq(visitors.id, visitorId));
    return true;
  });
}

/** The visitor replied from the mailbox they typed: the claim is proven (see sqlite/conversations.ts). */
function verifyTypedEmail(db: PgDb, visitorId: number, mailName: string | null): Promise<void> {
  return atomically(db, async (tx) => {
    const [visitor] = await tx.select().from(visitors).where(eq(visitors.id, visitorId)).for('update');
    if (!visitor?.unverifiedEmail) return;
    const contactId = await contactWithEmail(tx, visitor.unverifiedEmail, visitor.name ?? mailName);
    await tx.update(visitors).set({ contactId, unverifiedEmail: null }).where(eq(visitors.id, visitorId));
  });
}

/**
 * Web visits, one transaction for the batch: the rows are locked in id order first (another process
 * may record the same visitor, in a tab of its own), then one UPDATE writes them all.
 */
async function recordVisits(db: PgDb, visits: Map<number, Visit>): Promise<void> {
  if (visits.size === 0) return;
  const batch = [...visits]
    .sort(([a], [b]) => a - b)
    .map(([id, visit]) => ({ id, at: visit.at, pageUrl: visit.pageUrl, referrer: visit.referrer, userAgent: visit.userAgent }));
  const ids = batch.map((visit) => visit.id);
  await atomically(db, async (tx) => {
    await tx.execute(sql`select id from visitors where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint) order by id for update`);
    await tx.execute(sql`
      update visitors v set last_seen_at = greatest(v.last_seen_at, x.at), page_url = coalesce(x."pageUrl", v.page_url),
        referrer = coalesce(x.referrer, v.referrer), user_agent = coalesce(x."userAgent", v.user_agent)
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(id bigint, at bigint, "pageUrl" text, referrer text, "userAgent" text)
      where v.id = x.id`);
  });
}

/** The ConversationStore on PostgreSQL, its queries going to `db` (the pool, or a transaction). */
export function pgConversationStore(db: PgDb): ConversationStore {
  return {
    async findVisitorByToken(token) {
      const [visitor] = await db.select().from(visitors).where(eq(visitors.tokenHash, hashToken(token)));
      return visitor ?? null;
    },
    async createVisitor(now = Date.now()) {
      const token = randomBytes(32).toString('base64url');
      const [visitor] = await db.insert(visitors).values({ tokenHash: hashToken(token), lastSeenAt: now }).returning();
      return { visitor: visitor!, token };
    },
    async participantSeen(visitorId, at) {
      await db
        .update(visitors)
        .set({ lastSeenAt: sql`greatest(${visitors.lastSeenAt}, ${at}::bigint)` })
        .where(eq(visitors.id, visitorId));
    },
    recordVisits: (visits) => recordVisits(db, visits),
    identifyVisitor: (visitorId, input) => identifyVisitor(db, visitorId, input),
    verifyTypedEmail: (visitorId, mailName) => verifyTypedEmail(db, visitorId, mailName),
    async emailOfVisitor(visitorId) {
      const [row] = await db
        .select({ email: sql<string | null>`coalesce(${contacts.email}, ${visitors.unverifiedEmail})` })
        .from(visitors)
        .leftJoin(contacts, eq(contacts.id, visitors.contactId))
        .where(eq(visitors.id, visitorId));
      return row?.email ?? null;
    },
    contactEmailOfVisitor: (visitorId) => contactEmailOfVisitor(db, visitorId),

    async conversationById(id): Promise<ConversationRow | null> {
      const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
      return row ?? null;
    },
    async conversationOfVisitor(visitorId): Promise<ConversationRow | null> {
      const [row] = await db.select().from(conversations).where(eq(conversations.visitorId, visitorId)).orderBy(desc(conversations.id)).limit(1);
      return row ?? null;
    },
    async conversationIdOfVisitor(visitorId) {
      const [row] = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.visitorId, visitorId))
        .orderBy(desc(conversations.id))
        .limit(1);
      return row?.id ?? null;
    },
    async createConversation(visitorId, now = Date.now()) {
      const [row] = await db.insert(conversations).values({ visitorId, lastMessageAt: now, createdAt: now }).returning();
      return row!;
    },
    async markReadByAgents(conversationId) {
      await db.update(conversations).set({ unreadCount: 0 }).where(eq(conversations.id, conversationId));
    },
    async setStatus(conversationId, status) {
      await db.update(conversations).set({ status }).where(eq(conversations.id, conversationId));
    },
    async markSeenByVisitor(conversationId, seq) {
      await db
        .update(conversations)
        .set({ visitorSeenSeq: sql`greatest(${conversations.visitorSeenSeq}, least(${seq}::bigint, ${conversations.lastSeq}))` })
        .where(eq(conversations.id, conversationId));
    },
    unreadCount: () => unreadConversationCount(db),
    participantOf: (conversationId) => participantOf(db, conversationId),
    async tagValuesFor(conversationId) {
      const { name, email } = await participantOf(db, conversationId);
      return { contact: { name, email } };
    },
    summary: (conversationId, isOnline) => conversationSummary(db, conversationId, isOnline),
    summaries: (conversationIds, isOnline) => conversationSummaries(db, conversationIds, isOnline),
    list: (query, isOnline) => conversationList(db, query, isOnline),
    setAssignee: (conversationId, agentId) => setAssignee(db, conversationId, agentId),
    assignIfUnassigned: (conversationId, agentId) => assignIfUnassigned(db, conversationId, agentId),
    contactPanel: (conversationId, pendingVisit) => contactPanel(db, conversationId, pendingVisit),

    // Its lock must last until the caller's commit: outside a transaction it makes its own.
    insertMessage: (input) => atomically(db, (tx) => insertMessage(tx, input)),
    insertVisitorMessages: (inputs) => atomically(db, (tx) => insertVisitorMessages(tx, inputs)),
    messageById: (id) => messageById(db, id),
    messageByExternalId: (channel, externalId) =>
      messageWhere(db, and(eq(messages.channel, channel), eq(messages.externalId, externalId))),
    async updateDelivery(messageId, change) {
      await db
        .update(messages)
        .set({ deliveryState: change.state, deliveryError: change.error ?? null, ...(change.externalId ? { externalId: change.externalId } : {}) })
        .where(eq(messages.id, messageId));
    },
    async editMessage(messageId, body, editedAt) {
      // One statement: edits only move forward (a retried older edit must not bring old words back),
      // and the preview follows only while it is the conversation's latest message (a message stored
      // meanwhile changes last_seq, which PostgreSQL rechecks once it holds the row). The search
      // vector is a generated column: it follows the body by itself.
      const result = await db.execute<{ edited: string }>(sql`
        with edited as (
          update messages set body = ${body}::text, edited_at = ${editedAt}::bigint
          where id = ${messageId}::bigint and (edited_at is null or edited_at <= ${editedAt}::bigint)
          returning conversation_id, seq
        ),
        previewed as (
          update conversations c set last_message_preview = ${messagePreview(body)}::text
          from edited e where c.id = e.conversation_id and c.last_seq = e.seq
          returning c.id
        )
        select (select count(*) from edited) as edited, (select count(*) from previewed) as previewed`);
      return Number(result.rows[0]!.edited) > 0;
    },
    async setReactions(messageId, reactions) {
      await db
        .update(messages)
        .set({ reactions: reactions?.length ? JSON.stringify(reactions) : null })
        .where(eq(messages.id, messageId));
    },
    historyJson: (conversationId, sinceSeq = 0) => history(db, conversationId, sinceSeq, false),
    visitorHistoryJson: (conversationId, sinceSeq = 0) => history(db, conversationId, sinceSeq, true),
    async seqAtMessageId(conversationId, messageId) {
      const [row] = await db
        .select({ seq: sql<string | null>`max(${messages.seq})` })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), sql`${messages.id} <= ${messageId}::bigint`));
      return row?.seq == null ? 0 : Number(row.seq);
    },
    async messageIdAtSeq(conversationId, seq) {
      const [row] = await db
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)));
      return row?.id ?? 0;
    },
  };
}
