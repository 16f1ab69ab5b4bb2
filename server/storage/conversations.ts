// What Parley stores about visitors, conversations and messages, as the services see it. Engine
// neutral: no SQL and no database handle here; sqlite/conversations.ts is the implementation.
import Bowser from 'bowser';
import type { Attachment, Author, Channel, ChatMessage, ContactPanel, ConversationPage, ConversationSummary, DeliveryState, Reaction } from '../../shared/protocol';
import type { TagValues } from '../../shared/tags';
import type { schema } from '../db';

export type VisitorRow = typeof schema.visitors.$inferSelect;
export type ConversationRow = typeof schema.conversations.$inferSelect;

/** Whether a visitor has a socket open right now (the hub knows; storage does not). */
export type IsOnline = (visitorId: number) => boolean;

export interface NewMessage {
  conversationId: number;
  author: Author;
  agentId?: number | null;
  body: string;
  clientId?: string | null;
  /** Defaults to chat. */
  channel?: Channel;
  /** The channel's own id (email Message-ID, Messenger mid): stored once per channel. */
  externalId?: string | null;
  deliveryState?: DeliveryState | null;
  otherSender?: string | null;
  attachments?: Attachment[] | null;
  /** Sent by a machine (an auto-reply): see ChatMessage.automatic. */
  automatic?: boolean;
  now?: number;
}

/** A visitor's chat message from the widget, for its visitor's conversation (see insertVisitorMessages). */
export interface VisitorMessage {
  visitorId: number;
  clientId: string;
  body: string;
  attachments?: Attachment[] | null;
  now?: number;
}

export interface StoredMessage {
  message: ChatMessage;
  /** True when this clientId or external id was already stored: ack again, but do not fan out twice. */
  duplicate: boolean;
}

export interface VisitorIdentity {
  email?: string;
  name?: string;
  /** True only when the address is proven (signed identify, a reply from the mailbox). */
  verified: boolean;
}

export interface Visit {
  at: number;
  pageUrl: string | null;
  referrer: string | null;
  userAgent: string | null;
}

export interface DeliveryChange {
  state: DeliveryState;
  error?: string | null;
  /** The channel's id for the message, once known. */
  externalId?: string;
}

/** One page of the inbox's list: by status, and by owner (undefined: anyone's; null: nobody's yet). */
export interface ListQuery {
  status: 'open' | 'complete' | 'all';
  assigneeId?: number | null;
  cursor?: string;
  limit: number;
}

export interface ConversationStore {
  // Visitors: a web visitor, an email sender or a Messenger sender.
  findVisitorByToken(token: string): Promise<VisitorRow | null>;
  /** A new web visitor and its token: shown once, stored only as a hash. */
  createVisitor(now?: number): Promise<{ visitor: VisitorRow; token: string }>;
  /** Last-seen moves forward to `at`, never back. */
  participantSeen(visitorId: number, at: number): Promise<void>;
  /** Web visits, written in batches as best-effort data (no flush of their own). */
  recordVisits(visits: Map<number, Visit>): Promise<void>;
  /** Records what a visitor said about themselves; returns whether anything changed. */
  identifyVisitor(visitorId: number, input: VisitorIdentity): Promise<boolean>;
  /** The visitor replied from the mailbox they typed: the claim becomes their contact. */
  verifyTypedEmail(visitorId: number, mailName: string | null): Promise<void>;
  /** The address this visitor left, proven or only typed. */
  emailOfVisitor(visitorId: number): Promise<string | null>;
  /** The visitor's proven address (their contact's). */
  contactEmailOfVisitor(visitorId: number): Promise<string | null>;

  // Conversations.
  conversationById(id: number): Promise<ConversationRow | null>;
  /** The visitor's conversation (a visitor has one thread; the newest if there were ever more). */
  conversationOfVisitor(visitorId: number): Promise<ConversationRow | null>;
  conversationIdOfVisitor(visitorId: number): Promise<number | null>;
  createConversation(visitorId: number, now?: number): Promise<ConversationRow>;
  markReadByAgents(conversationId: number): Promise<void>;
  setStatus(conversationId: number, status: 'open' | 'complete'): Promise<void>;
  /** The visitor's widget showed everything up to this seq: the watermark moves forward only, to the last message at most. */
  markSeenByVisitor(conversationId: number, seq: number): Promise<void>;
  /** Open conversations with unread visitor messages: the inbox's red dot. */
  unreadCount(): Promise<number>;
  /** Who a conversation is with, by email: their address (verified, or only typed) and name. */
  participantOf(conversationId: number): Promise<{ name: string | null; email: string | null; emailVerified: boolean }>;
  tagValuesFor(conversationId: number): Promise<Pick<TagValues, 'contact'>>;
  summary(conversationId: number, isOnline: IsOnline): Promise<ConversationSummary | null>;
  /** summary() of several conversations at once (a group commit's fan-out), by id; an unknown id is left out. */
  summaries(conversationIds: number[], isOnline: IsOnline): Promise<Map<number, ConversationSummary>>;
  list(query: ListQuery, isOnline: IsOnline): Promise<ConversationPage>;
  /** Who owns it from now on (null: nobody). The caller checks the agent is active. */
  setAssignee(conversationId: number, agentId: number | null): Promise<void>;
  /** It becomes `agentId`'s unless someone owns it already (a reply takes an unowned conversation); true when it did. */
  assignIfUnassigned(conversationId: number, agentId: number): Promise<boolean>;
  /** The inbox's contact panel; `pendingVisit` adds what is recorded but not yet written. */
  contactPanel(conversationId: number, pendingVisit: (visitorId: number) => Visit | undefined): Promise<ContactPanel | null>;

  // Messages.
  /**
   * Stores a message and updates its conversation, once per clientId / external id; call inside a
   * transaction. The message takes the conversation's next seq under its row's write lock; a duplicate takes none.
   */
  insertMessage(input: NewMessage): Promise<StoredMessage>;
  /**
   * A group commit's visitor chat messages, in arrival order, each into its visitor's conversation
   * (created if they have none): what conversationIdOfVisitor, createConversation and insertMessage
   * would do for each in turn, with the same seqs, dedupe and conversation state, in as few statements
   * as the engine can. One result per input, in order; call inside a transaction.
   */
  insertVisitorMessages(inputs: VisitorMessage[]): Promise<StoredMessage[]>;
  messageById(id: number): Promise<ChatMessage | null>;
  messageByExternalId(channel: Channel, externalId: string): Promise<ChatMessage | null>;
  updateDelivery(messageId: number, change: DeliveryChange): Promise<void>;
  /**
   * Its sender changed its text (a Messenger edit): the body and edited time are replaced, and so is the
   * conversation's preview if it is the latest message. False (nothing changed) for an edit older than
   * the one stored.
   */
  editMessage(messageId: number, body: string, editedAt: number): Promise<boolean>;
  /** Replaces the message's reactions (null or empty: none). */
  setReactions(messageId: number, reactions: Reaction[] | null): Promise<void>;
  /** A conversation's messages after `sinceSeq`, in seq order, as a JSON array of ChatMessage. */
  historyJson(conversationId: number, sinceSeq?: number): Promise<string>;
  /** The same, as the visitor's widget may show it (no mail from other addresses). */
  visitorHistoryJson(conversationId: number, sinceSeq?: number): Promise<string>;
  /**
   * For widget panels built before seq, which count in message ids: the seq of the newest message at
   * or below `messageId` (0: none), and the id of the message with `seq` (0: none).
   */
  seqAtMessageId(conversationId: number, messageId: number): Promise<number>;
  messageIdAtSeq(conversationId: number, seq: number): Promise<number>;
}

/** "Firefox 131" and "macOS 14.5" from a user-agent string; nulls when it says nothing useful. */
export function describeUserAgent(userAgent: string | null): { browser: string | null; os: string | null } {
  if (!userAgent) return { browser: null, os: null };
  const parsed = Bowser.parse(userAgent);
  const major = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name ? [parsed.browser.name, major].filter(Boolean).join(' ') : null;
  const os = parsed.os.name ? [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ') : null;
  return { browser, os };
}

/**
 * What the conversation list shows of a message, at most 140 characters: its text, and for a file
 * sent without words the files' names.
 */
export const messagePreview = (body: string, attachments?: Attachment[] | null): string =>
  (body || (attachments?.map((a) => a.name ?? a.type).join(', ') ?? '')).slice(0, 140);

// ---- Rows as either engine reads them, and what the stores answer with ------------------------------
// SQLite gives booleans as 0 and 1 and both engines keep lists as JSON text; each store reads its own
// rows, and these turn them into the same answers.

const truthy = (value: boolean | 0 | 1) => value === true || value === 1;
const parseList = <T>(text: string | null): T[] | null => (text ? (JSON.parse(text) as T[]) : null);

/** A message row with every field messageById answers. */
export type MessageRow = Omit<ChatMessage, 'attachments' | 'automatic' | 'reactions'> & {
  attachments: string | null;
  automatic: boolean | 0 | 1;
  reactions: string | null;
};

/**
 * Field by field on purpose: `{ ...rest, title, online }` is what V8 11 (Node 20) runs through its
 * slow path, allocating every such object straight into the old generation (2 µs each in a
 * micro-benchmark against 0.01 µs for a plain literal). With a summary per chat message and 50 per
 * list page, the old generation filled in ~100 ms and each full collection paused every request.
 */
export const messageFromRow = (row: MessageRow): ChatMessage => ({
  id: row.id,
  conversationId: row.conversationId,
  seq: row.seq,
  clientId: row.clientId,
  author: row.author,
  authorName: row.authorName,
  channel: row.channel,
  body: row.body,
  createdAt: row.createdAt,
  deliveryState: row.deliveryState,
  deliveryError: row.deliveryError,
  otherSender: row.otherSender,
  attachments: parseList<Attachment>(row.attachments),
  automatic: truthy(row.automatic),
  editedAt: row.editedAt,
  reactions: parseList<Reaction>(row.reactions),
});

/** A conversation-list row: the summary's own columns, and the names its title is chosen from. */
export type SummaryRow = Omit<ConversationSummary, 'title' | 'online' | 'email' | 'emailVerified'> & {
  visitorName: string | null;
  contactName: string | null;
  email: string | null;
  emailVerified: boolean | 0 | 1;
};

/** The inbox's row for a conversation: titled by the best name known, online as `isOnline` says (field by field: see messageFromRow). */
export function summaryFromRow(row: SummaryRow, isOnline: IsOnline): ConversationSummary {
  return {
    id: row.id,
    visitorId: row.visitorId,
    kind: row.kind,
    title: row.contactName ?? row.visitorName ?? row.email ?? (row.kind === 'messenger' ? 'Messenger user' : `Visitor #${row.visitorId}`),
    email: row.email,
    emailVerified: truthy(row.emailVerified),
    lastInboundAt: row.lastInboundAt,
    status: row.status,
    online: isOnline(row.visitorId),
    lastMessageAt: row.lastMessageAt,
    lastMessagePreview: row.lastMessagePreview,
    lastMessageAuthor: row.lastMessageAuthor,
    lastMessageAgentId: row.lastMessageAgentId,
    lastMessageAgentName: row.lastMessageAgentName,
    unreadCount: row.unreadCount,
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeName,
    createdAt: row.createdAt,
  };
}
