// Visitors, conversations and messages in SQLite: the ConversationStore (../conversations.ts). Pure
// storage: no sockets, no fan-out; the service that calls it owns transactions and durability.
import type { Synchronous } from './asyncStores';
import { createHash, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Author, Channel, ChatMessage, DeliveryState, Reaction } from '../../../shared/protocol';
import type { TagValues } from '../../../shared/tags';
import { inTransaction, preparedOnce, schema, withoutFsync, type Db } from '../../db';
import { messageFromRow, messagePreview, type ConversationStore, type ConversationRow, type MessageRow, type NewMessage, type StoredMessage, type Visit, type VisitorIdentity, type VisitorMessage, type VisitorRow } from '../conversations';
import { assignIfUnassigned, setAssignee } from './assignment';
import { contactPanel } from './contactPanel';
import { conversationList, conversationSummaries, conversationSummary } from './conversationList';

const { contacts, conversations, visitors } = schema;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Every returning widget's hello looks its visitor up: prepared once, not rebuilt by drizzle each time. */
const visitorByTokenHash = preparedOnce((db: Db) =>
  db
    .select()
    .from(visitors)
    .where(eq(visitors.tokenHash, sql.placeholder('tokenHash')))
    .prepare(),
);

export function findVisitorByToken(db: Db, token: string): VisitorRow | null {
  return visitorByTokenHash(db).get({ tokenHash: hashToken(token) }) ?? null;
}

/** Creates a visitor and returns its token: 256 random bits, shown once, stored only as a hash. */
export function createVisitor(db: Db, now = Date.now()): { visitor: VisitorRow; token: string } {
  const token = randomBytes(32).toString('base64url');
  const visitor = db.insert(visitors).values({ tokenHash: hashToken(token), lastSeenAt: now }).returning().get();
  return { visitor, token };
}

/**
 * A participant (web visitor, email or Messenger sender) was heard from at `at`: their last-seen time
 * moves forward to it, never back. (Web visits are batched by VisitRecorder instead.)
 */
export function participantSeen(db: Db, visitorId: number, at: number): void {
  db.update(visitors).set({ lastSeenAt: sql`max(${visitors.lastSeenAt}, ${at})` }).where(eq(visitors.id, visitorId)).run();
}

/** The visitor's conversation (a visitor has one thread; the newest if there were ever more). */
export function conversationOfVisitor(db: Db, visitorId: number): ConversationRow | null {
  return statementsFor(db).conversationOfVisitor.get(visitorId) ?? null;
}

/** Only the id of conversationOfVisitor's conversation, for the paths that need nothing else. */
export function conversationIdOfVisitor(db: Db, visitorId: number): number | null {
  return statementsFor(db).conversationIdOfVisitor.get(visitorId) ?? null;
}

export function conversationById(db: Db, id: number): ConversationRow | null {
  return db.select().from(conversations).where(eq(conversations.id, id)).get() ?? null;
}

/** ConversationRow's columns under their drizzle property names, for the raw statements. */
const conversationColumns = `id, visitor_id as visitorId, status, last_message_at as lastMessageAt,
  last_message_preview as lastMessagePreview, last_message_author as lastMessageAuthor,
  last_message_agent_id as lastMessageAgentId, visitor_seen_seq as visitorSeenSeq,
  unread_count as unreadCount, last_inbound_at as lastInboundAt, reply_token as replyToken,
  email_followup_at as emailFollowupAt, last_seq as lastSeq, assignee_id as assigneeId, created_at as createdAt`;

const baseMessageFields = `'id', m.id, 'conversationId', m.conversation_id, 'seq', m.seq, 'clientId', m.client_id,
  'author', m.author, 'authorName', a.name, 'channel', m.channel, 'body', m.body, 'createdAt', m.created_at`;
/**
 * The JSON object SQLite builds for one ChatMessage (history and thread loads). Plain chat messages
 * without files, nearly all of them, leave out the delivery fields they never use: a 1,000-message history stays
 * as small (and as fast to send) as before email and Messenger existed.
 */
const messageJsonObject = `case when m.channel = 'chat' and m.delivery_state is null and m.other_sender is null and m.attachments is null
  then json_object(${baseMessageFields})
  else json_object(${baseMessageFields}, 'deliveryState', m.delivery_state, 'deliveryError', m.delivery_error,
    'otherSender', m.other_sender, 'attachments', json(m.attachments), 'automatic', json(iif(m.automatic, 'true', 'false')),
    'editedAt', m.edited_at, 'reactions', json(m.reactions)) end`;

/**
 * Hot-path statements (every chat message and every history load), prepared once per database
 * handle with raw better-sqlite3: column aliases produce ChatMessage objects directly, no mapping.
 */
const statementsFor = preparedOnce((db: Db) => {
  const sqlite = db.$client;
  const messageSelect = `select m.id, m.conversation_id as conversationId, m.seq, m.client_id as clientId, m.author,
      a.name as authorName, m.channel, m.body, m.created_at as createdAt, m.delivery_state as deliveryState,
      m.delivery_error as deliveryError, m.other_sender as otherSender, m.attachments, m.automatic,
      m.edited_at as editedAt, m.reactions
      from messages m left join agents a on a.id = m.agent_id`;
  return {
      // SQLite writes the JSON itself: 3x faster than building 1,000 objects in JS and stringifying.
      historyJson: sqlite
        .prepare<[number, number], string>(
          `select json_group_array(${messageJsonObject} order by m.seq)
           from messages m left join agents a on a.id = m.agent_id where m.conversation_id = ? and m.seq > ?`,
        )
        .pluck(),
      // The widget's copy leaves out what only agents may see (mail from another address).
      visitorHistoryJson: sqlite
        .prepare<[number, number], string>(
          `select json_group_array(${messageJsonObject} order by m.seq)
           from messages m left join agents a on a.id = m.agent_id
           where m.conversation_id = ? and m.seq > ? and m.other_sender is null`,
        )
        .pluck(),
      byClientId: sqlite.prepare<[number, string], MessageRow>(`${messageSelect} where m.conversation_id = ? and m.client_id = ?`),
      byExternalId: sqlite.prepare<[Channel, string], MessageRow>(`${messageSelect} where m.channel = ? and m.external_id = ?`),
      byId: sqlite.prepare<[number], MessageRow>(`${messageSelect} where m.id = ?`),
      insert: sqlite.prepare<
        [
          number,
          number,
          Author,
          number | null,
          string,
          string | null,
          number,
          Channel,
          string | null,
          DeliveryState | null,
          string | null,
          string | null,
          0 | 1,
        ],
        { id: number }
      >(
        `insert into messages (conversation_id, seq, author, agent_id, body, client_id, created_at, channel, external_id,
           delivery_state, other_sender, attachments, automatic) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
      ),
      touchConversation: sqlite
        .prepare<
          [{ at: number; preview: string; author: Author; agentId: number | null; fromVisitor: number; fromPerson: number; id: number }],
          number
        >(
          // The message's seq is taken here, by the write that updates its conversation's row, before
          // the message is inserted: whoever writes a conversation's row next gets the next number, so
          // seqs commit in order per conversation (on PostgreSQL this UPDATE holds the row's lock).
          // A visitor message reopens the conversation and counts as unread; an agent reply means an
          // agent has read it. An automatic one (an out-of-office) does neither and is no sign of life.
          // Times only move forward: a late redelivery of an old email or Messenger message must not
          // move the conversation down the list or shrink Messenger's reply window.
          `update conversations set last_seq = last_seq + 1, last_message_at = max(last_message_at, @at), last_message_preview = @preview,
           last_message_author = @author, last_message_agent_id = @agentId,
           status = case when @fromPerson then 'open' else status end,
           unread_count = case when @fromPerson then unread_count + 1 when @fromVisitor then unread_count else 0 end,
           last_inbound_at = case when @fromPerson then max(coalesce(last_inbound_at, 0), @at) else last_inbound_at end
           where id = @id returning last_seq`,
        )
        .pluck(),
      agentName: sqlite.prepare<[number], { name: string }>('select name from agents where id = ?'),
      conversationOfVisitor: sqlite.prepare<[number], ConversationRow>(
        `select ${conversationColumns} from conversations where visitor_id = ? order by id desc limit 1`,
      ),
      // The same lookup answered from the (visitor_id, id) index alone: 5 µs against 14–19 µs for the
      // whole row, measured on the bench's 100,000 conversations. It runs for every chat message.
      conversationIdOfVisitor: sqlite
        .prepare<[number], number>('select id from conversations where visitor_id = ? order by id desc limit 1')
        .pluck(),
      insertConversation: sqlite.prepare<[number, number, number], ConversationRow>(
        `insert into conversations (visitor_id, last_message_at, created_at) values (?, ?, ?) returning ${conversationColumns}`,
      ),
      unreadCount: sqlite
        // Named: left to itself the planner walks every open conversation in the status index (45 ms
        // at 100,000 conversations) instead of this small partial index (under 2 ms).
        .prepare<[], number>(
          "select count(*) from conversations indexed by conversations_unread_open_idx where status = 'open' and unread_count > 0",
        )
        .pluck(),
      // A visitor linked to a contact proved the address; one with only a typed address gets back
      // what they typed themselves (their address and name), never anything of a contact's.
      // For panels built before seq, which speak in message ids (see visitorHello.since in shared/protocol.ts).
      // Read from (conversation_id, seq) alone, which holds each entry's id: one thread's entries, only for old panels.
      seqAtMessageId: sqlite
        .prepare<[number, number], number | null>('select max(seq) from messages where conversation_id = ? and id <= ?')
        .pluck(),
      messageIdAtSeq: sqlite
        .prepare<[number, number], number>('select id from messages where conversation_id = ? and seq = ?')
        .pluck(),
      participant: sqlite.prepare<[number], { name: string | null; email: string | null; verified: 0 | 1 }>(
        `select coalesce(c.name, v.name) as name, coalesce(c.email, v.unverified_email) as email, c.id is not null as verified
         from conversations cv join visitors v on v.id = cv.visitor_id
         left join contacts c on c.id = v.contact_id where cv.id = ?`,
      ),
  };
});

/** Messages of a conversation after `sinceSeq`, in seq order, serialised as a JSON array of ChatMessage. */
export function historyJson(db: Db, conversationId: number, sinceSeq = 0): string {
  return statementsFor(db).historyJson.get(conversationId, sinceSeq) ?? '[]';
}

/** The same, as the visitor's widget may show it (no mail from other addresses). */
export function visitorHistoryJson(db: Db, conversationId: number, sinceSeq = 0): string {
  return statementsFor(db).visitorHistoryJson.get(conversationId, sinceSeq) ?? '[]';
}

/** The seq of the conversation's newest message whose id is at most `messageId` (0: none). */
export function seqAtMessageId(db: Db, conversationId: number, messageId: number): number {
  return statementsFor(db).seqAtMessageId.get(conversationId, messageId) ?? 0;
}

/** The id of the conversation's message with this seq (0: none). */
export function messageIdAtSeq(db: Db, conversationId: number, seq: number): number {
  return statementsFor(db).messageIdAtSeq.get(conversationId, seq) ?? 0;
}

export function messageByExternalId(db: Db, channel: Channel, externalId: string): ChatMessage | null {
  const row = statementsFor(db).byExternalId.get(channel, externalId);
  return row ? messageFromRow(row) : null;
}

export function messageById(db: Db, id: number): ChatMessage | null {
  const row = statementsFor(db).byId.get(id);
  return row ? messageFromRow(row) : null;
}

/**
 * Stores a message and updates its conversation, which hands it the next seq; the caller owns the
 * transaction. A message whose clientId is already stored in that conversation is not stored again:
 * the earlier copy comes back, marked `duplicate` (it takes no seq), so the caller acks it without
 * fanning it out twice.
 */
export function insertMessage(db: Db, input: NewMessage): StoredMessage {
  const statements = statementsFor(db);
  const channel = input.channel ?? 'chat';
  if (input.clientId) {
    const existing = statements.byClientId.get(input.conversationId, input.clientId);
    if (existing) return { message: messageFromRow(existing), duplicate: true };
  }
  if (input.externalId) {
    const existing = statements.byExternalId.get(channel, input.externalId);
    if (existing) return { message: messageFromRow(existing), duplicate: true };
  }
  const createdAt = input.now ?? Date.now();
  const agentId = input.agentId ?? null;
  const clientId = input.clientId ?? null;
  const deliveryState = input.deliveryState ?? null;
  const otherSender = input.otherSender ?? null;
  const attachments = input.attachments?.length ? input.attachments : null;
  const automatic = input.automatic ?? false;
  const seq = statements.touchConversation.get({
    at: createdAt,
    preview: messagePreview(input.body, attachments),
    author: input.author,
    agentId,
    fromVisitor: input.author === 'visitor' ? 1 : 0,
    fromPerson: input.author === 'visitor' && !automatic ? 1 : 0,
    id: input.conversationId,
  });
  if (seq === undefined) throw new Error(`conversation ${input.conversationId} does not exist`);
  const { id } = statements.insert.get(
    input.conversationId,
    seq,
    input.author,
    agentId,
    input.body,
    clientId,
    createdAt,
    channel,
    input.externalId ?? null,
    deliveryState,
    otherSender,
    attachments ? JSON.stringify(attachments) : null,
    automatic ? 1 : 0,
  )!;
  const authorName = agentId === null ? null : (statements.agentName.get(agentId)?.name ?? null);
  const message: ChatMessage = {
    id,
    conversationId: input.conversationId,
    seq,
    clientId,
    author: input.author,
    authorName,
    channel,
    body: input.body,
    createdAt,
  };
  // Like historyJson: a plain chat message carries no delivery fields, so the frame fanned out to
  // every agent for every chat message stays as small as it was.
  if (channel !== 'chat' || deliveryState || otherSender || attachments || automatic) {
    Object.assign(message, { deliveryState, deliveryError: null, otherSender, attachments, automatic, editedAt: null, reactions: null });
  }
  return { message, duplicate: false };
}

/**
 * A batch of visitor chat messages, one after another: SQLite's statements cost microseconds and no
 * round trip, so the batch needs no statements of its own.
 */
export function insertVisitorMessages(db: Db, inputs: VisitorMessage[]): StoredMessage[] {
  return inputs.map((input) => {
    const conversationId = conversationIdOfVisitor(db, input.visitorId) ?? createConversation(db, input.visitorId, input.now).id;
    const { body, clientId, attachments, now } = input;
    return insertMessage(db, { conversationId, author: 'visitor', body, clientId, attachments, now });
  });
}

/** A delivery report for an outgoing message; `externalId` records the channel's id once known. */
export function updateDelivery(
  db: Db,
  messageId: number,
  change: { state: DeliveryState; error?: string | null; externalId?: string },
): void {
  db.update(schema.messages)
    .set({ deliveryState: change.state, deliveryError: change.error ?? null, ...(change.externalId ? { externalId: change.externalId } : {}) })
    .where(eq(schema.messages.id, messageId))
    .run();
}

/** A Messenger edit: see ConversationStore.editMessage. The caller owns the transaction. */
export function editMessage(db: Db, messageId: number, body: string, editedAt: number): boolean {
  const sqlite = db.$client;
  const edited = sqlite
    .prepare<[string, number, number, number]>(
      // Edits only move forward: a retried older edit arriving late must not bring old words back.
      'update messages set body = ?, edited_at = ? where id = ? and (edited_at is null or edited_at <= ?)',
    )
    .run(body, editedAt, messageId, editedAt);
  if (edited.changes === 0) return false;
  // The search index's thread re-indexes it (searchIndex.ts); in this transaction, so no edit is missed.
  sqlite.prepare<[number]>('insert into search_reindex (message_id) values (?)').run(messageId);
  sqlite
    .prepare<[{ preview: string; id: number }]>(
      `update conversations set last_message_preview = @preview
       where id = (select conversation_id from messages where id = @id)
         and last_seq = (select seq from messages where id = @id)`,
    )
    .run({ preview: messagePreview(body), id: messageId });
  return true;
}

/** Replaces a message's reactions; an empty list is stored as none. */
export function setReactions(db: Db, messageId: number, reactions: Reaction[] | null): void {
  db.update(schema.messages)
    .set({ reactions: reactions?.length ? JSON.stringify(reactions) : null })
    .where(eq(schema.messages.id, messageId))
    .run();
}

export function createConversation(db: Db, visitorId: number, now = Date.now()): ConversationRow {
  return statementsFor(db).insertConversation.get(visitorId, now, now)!;
}

/** Any agent opened it: read for every agent. */
export function markReadByAgents(db: Db, conversationId: number): void {
  db.update(conversations).set({ unreadCount: 0 }).where(eq(conversations.id, conversationId)).run();
}

export function setConversationStatus(db: Db, conversationId: number, status: 'open' | 'complete'): void {
  db.update(conversations).set({ status }).where(eq(conversations.id, conversationId)).run();
}

/** Open conversations with unread visitor messages (served by the partial index conversations_unread_open_idx). */
export function unreadConversationCount(db: Db): number {
  return statementsFor(db).unreadCount.get() ?? 0;
}

/** Who a conversation is with, by email: their address (verified, or only typed) and name. */
export function participantOf(db: Db, conversationId: number): { name: string | null; email: string | null; emailVerified: boolean } {
  const row = statementsFor(db).participant.get(conversationId);
  return { name: row?.name ?? null, email: row?.email ?? null, emailVerified: row?.verified === 1 };
}

/** What personalization tags can say about a conversation's contact. */
export function tagValuesFor(db: Db, conversationId: number): Pick<TagValues, 'contact'> {
  const { name, email } = participantOf(db, conversationId);
  return { contact: { name, email } };
}

/** The visitor saw up to `seq`: the watermark only moves forward, and never past the last message. */
export function markSeenByVisitor(db: Db, conversationId: number, seq: number): void {
  db.update(conversations)
    .set({ visitorSeenSeq: sql`max(${conversations.visitorSeenSeq}, min(${seq}, ${conversations.lastSeq}))` })
    .where(eq(conversations.id, conversationId))
    .run();
}

/**
 * Records what a visitor said about themselves. A proven address links them to the contact with
 * that email (created if new; one contact per address). An address that is only typed is kept as
 * the visitor's claim and links nothing: it must never reach a contact's name, conversations or
 * mail. A claim of another address than the proven one replaces it (the visitor corrected it).
 * Returns whether anything changed, so repeating the same identify fans nothing out.
 */
export function identifyVisitor(db: Db, visitorId: number, input: VisitorIdentity): boolean {
  return inTransaction(db, () => {
    const before = db.select().from(visitors).where(eq(visitors.id, visitorId)).get();
    if (!before) return false;
    const changes: Partial<VisitorRow> = {};
    if (input.name && input.name !== before.name) changes.name = input.name;
    if (input.email) {
      const email = input.email.toLowerCase();
      if (input.verified) {
        const contactId = contactWithEmail(db, email, input.name ?? null);
        if (contactId !== before.contactId) changes.contactId = contactId;
        if (before.unverifiedEmail !== null) changes.unverifiedEmail = null;
      } else if (contactEmailOfVisitor(db, visitorId) !== email && before.unverifiedEmail !== email) {
        changes.contactId = null;
        changes.unverifiedEmail = email;
      }
    }
    if (Object.keys(changes).length === 0) return false;
    db.update(visitors).set(changes).where(eq(visitors.id, visitorId)).run();
    return true;
  });
}

/** The contact with this address, created if new; a name fills in only where the contact has none. */
function contactWithEmail(db: Db, email: string, name: string | null): number {
  db.insert(contacts).values({ email, name }).onConflictDoNothing().run();
  const contact = db.select().from(contacts).where(eq(contacts.email, email)).get();
  if (!contact) throw new Error('contact vanished inside its own transaction');
  if (name && !contact.name) db.update(contacts).set({ name }).where(eq(contacts.id, contact.id)).run();
  return contact.id;
}

/**
 * The visitor replied from the mailbox they typed: the claim is proven. Links them to that address's
 * contact (named, if it has no name yet, as the visitor or their mail's From says) and clears the
 * claim; the caller owns the transaction.
 */
export function verifyTypedEmail(db: Db, visitorId: number, mailName: string | null): void {
  const visitor = db.select().from(visitors).where(eq(visitors.id, visitorId)).get();
  if (!visitor?.unverifiedEmail) return;
  const contactId = contactWithEmail(db, visitor.unverifiedEmail, visitor.name ?? mailName);
  db.update(visitors).set({ contactId, unverifiedEmail: null }).where(eq(visitors.id, visitorId)).run();
}

const visitorEmailStatement = preparedOnce((db: Db) =>
  db.$client
    .prepare<[number], string | null>(
      'select coalesce(c.email, v.unverified_email) from visitors v left join contacts c on c.id = v.contact_id where v.id = ?',
    )
    .pluck(),
);
const contactEmailStatement = preparedOnce((db: Db) =>
  db.$client
    .prepare<[number], string>('select c.email from visitors v join contacts c on c.id = v.contact_id where v.id = ?')
    .pluck(),
);

/** The address this visitor left, proven or only typed, or null: the widget stops asking once it has one. */
export function emailOfVisitor(db: Db, visitorId: number): string | null {
  return visitorEmailStatement(db).get(visitorId) ?? null;
}

/** The visitor's proven address (their contact's), or null. */
export function contactEmailOfVisitor(db: Db, visitorId: number): string | null {
  return contactEmailStatement(db).get(visitorId) ?? null;
}

const visitUpdate = preparedOnce((db: Db) =>
  db.$client.prepare<[{ id: number } & Visit]>(
    `update visitors set last_seen_at = max(last_seen_at, @at), page_url = coalesce(@pageUrl, page_url),
     referrer = coalesce(@referrer, referrer), user_agent = coalesce(@userAgent, user_agent) where id = @id`,
  ),
);

/** Web visits in one transaction. Best-effort data: not worth an fsync that would stall every socket. */
export function recordVisits(db: Db, visits: Map<number, Visit>): void {
  const update = visitUpdate(db);
  withoutFsync(db, () =>
    inTransaction(db, () => {
      for (const [id, visit] of visits) update.run({ id, ...visit });
    }),
  );
}

/** The ConversationStore on one SQLite connection. */
export function sqliteConversationStore(db: Db): Synchronous<ConversationStore> {
  return {
    findVisitorByToken: (token) => findVisitorByToken(db, token),
    createVisitor: (now) => createVisitor(db, now),
    participantSeen: (visitorId, at) => participantSeen(db, visitorId, at),
    recordVisits: (visits) => recordVisits(db, visits),
    identifyVisitor: (visitorId, input) => identifyVisitor(db, visitorId, input),
    verifyTypedEmail: (visitorId, mailName) => verifyTypedEmail(db, visitorId, mailName),
    emailOfVisitor: (visitorId) => emailOfVisitor(db, visitorId),
    contactEmailOfVisitor: (visitorId) => contactEmailOfVisitor(db, visitorId),
    conversationById: (id) => conversationById(db, id),
    conversationOfVisitor: (visitorId) => conversationOfVisitor(db, visitorId),
    conversationIdOfVisitor: (visitorId) => conversationIdOfVisitor(db, visitorId),
    createConversation: (visitorId, now) => createConversation(db, visitorId, now),
    markReadByAgents: (conversationId) => markReadByAgents(db, conversationId),
    setStatus: (conversationId, status) => setConversationStatus(db, conversationId, status),
    markSeenByVisitor: (conversationId, seq) => markSeenByVisitor(db, conversationId, seq),
    unreadCount: () => unreadConversationCount(db),
    participantOf: (conversationId) => participantOf(db, conversationId),
    tagValuesFor: (conversationId) => tagValuesFor(db, conversationId),
    summary: (conversationId, isOnline) => conversationSummary(db, conversationId, isOnline),
    summaries: (conversationIds, isOnline) => conversationSummaries(db, conversationIds, isOnline),
    list: (query, isOnline) => conversationList(db, query, isOnline),
    setAssignee: (conversationId, agentId) => setAssignee(db, conversationId, agentId),
    assignIfUnassigned: (conversationId, agentId) => assignIfUnassigned(db, conversationId, agentId),
    contactPanel: (conversationId, pendingVisit) => contactPanel(db, conversationId, pendingVisit),
    insertMessage: (input) => insertMessage(db, input),
    insertVisitorMessages: (inputs) => insertVisitorMessages(db, inputs),
    messageById: (id) => messageById(db, id),
    messageByExternalId: (channel, externalId) => messageByExternalId(db, channel, externalId),
    updateDelivery: (messageId, change) => updateDelivery(db, messageId, change),
    editMessage: (messageId, body, editedAt) => editMessage(db, messageId, body, editedAt),
    setReactions: (messageId, reactions) => setReactions(db, messageId, reactions),
    historyJson: (conversationId, sinceSeq) => historyJson(db, conversationId, sinceSeq),
    visitorHistoryJson: (conversationId, sinceSeq) => visitorHistoryJson(db, conversationId, sinceSeq),
    seqAtMessageId: (conversationId, messageId) => seqAtMessageId(db, conversationId, messageId),
    messageIdAtSeq: (conversationId, seq) => messageIdAtSeq(db, conversationId, seq),
  };
}
