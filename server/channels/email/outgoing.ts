// Turns a reply (or a transcript, or unseen chat replies) into a queued email for its conversation:
// who it goes to, the thread it carries, and the headers that let the answer thread back. An address
// the visitor only typed gets a line saying so, and no more than its daily share (unverified.ts).
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { ChatMessage } from '../../../shared/protocol';
import { schema, type Db } from '../../db';
import { participantOf, visitorHistoryJson } from '../../storage/sqlite/conversations';
import { newMessageIdHeader, newReplyToken, replyAddress } from './addresses';
import { composeEmail } from './compose';
import { queueEmail, type OutboxRow } from './outbox';
import { unverifiedLimitRefusal, unverifiedNotice } from './unverified';

const { conversations, emailOutbox, messages } = schema;

/** Mail clients cap how many ids they keep; the newest matter most for threading. */
const MAX_REFERENCES = 20;

export interface EmailSettings {
  siteName: string;
  inboundDomain: string;
  now: () => number;
  /** PARLEY_UNVERIFIED_EMAILS_PER_DAY: emails one unverified address may get in 24 hours. */
  unverifiedPerDay: number;
}

export interface Recipient {
  email: string;
  name: string | null;
  /** False for an address the visitor typed and never proved. */
  verified: boolean;
}

/** Where this conversation's email goes, or null when no address is known. */
export function recipientOf(db: Db, conversationId: number): Recipient | null {
  // The same facts personalization tags use: the contact's address and name, or what the visitor typed.
  const { email, name, emailVerified } = participantOf(db, conversationId);
  return email ? { email, name, verified: emailVerified } : null;
}

function refusalFor(db: Db, settings: EmailSettings, recipient: Recipient | null): string | null {
  if (!recipient) return 'No email address is known for this visitor yet';
  return recipient.verified ? null : unverifiedLimitRefusal(db, recipient.email, settings.unverifiedPerDay, settings.now());
}

/** Why an email to this conversation cannot go out now (no address, or the unverified cap), or null. */
export const emailRefusal = (db: Db, settings: EmailSettings, conversationId: number): string | null =>
  refusalFor(db, settings, recipientOf(db, conversationId));

/** The conversation's reply token, created the first time it sends an email. */
function replyTokenFor(db: Db, conversationId: number): string {
  const row = db.select({ token: conversations.replyToken }).from(conversations).where(eq(conversations.id, conversationId)).get();
  if (row?.token) return row.token;
  const token = newReplyToken();
  db.update(conversations).set({ replyToken: token }).where(eq(conversations.id, conversationId)).run();
  return token;
}

/** Every Message-ID this conversation's email exchange has used so far, oldest first. */
function earlierMessageIds(db: Db, conversationId: number): string[] {
  const sent = db
    .select({ id: emailOutbox.messageIdHeader, at: emailOutbox.createdAt })
    .from(emailOutbox)
    .where(eq(emailOutbox.conversationId, conversationId))
    .all();
  const received = db
    .select({ id: messages.externalId, at: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.channel, 'email'), isNotNull(messages.externalId)))
    .orderBy(asc(messages.id))
    .all();
  return [...sent, ...received]
    .sort((a, b) => a.at - b.at)
    .map((r) => r.id)
    .filter((id): id is string => Boolean(id));
}

export interface EmailRequest {
  conversationId: number;
  kind: 'reply' | 'followup' | 'transcript';
  /** What goes on top: the reply, the unseen replies, or the transcript note. */
  top: ChatMessage[];
  intro?: string;
  /** The message whose delivery state reports this email. */
  reportOn: ChatMessage;
}

/**
 * Queues the email for `request`; the caller owns the transaction. Refused (with the reason an agent
 * reads) when no address is known, or an unverified one already had its emails for the day.
 */
export function queueConversationEmail(
  db: Db,
  settings: EmailSettings,
  request: EmailRequest,
): { queued: OutboxRow } | { refused: string } {
  const recipient = recipientOf(db, request.conversationId);
  const refused = refusalFor(db, settings, recipient);
  if (refused !== null || !recipient) return { refused: refused ?? 'No email address is known for this visitor yet' };
  const thread = JSON.parse(visitorHistoryJson(db, request.conversationId)) as ChatMessage[];
  const content = composeEmail({
    siteName: settings.siteName,
    top: request.top,
    intro: request.intro,
    thread,
    visitorName: recipient.name,
    notice: recipient.verified ? undefined : unverifiedNotice(settings.siteName),
  });
  const references = earlierMessageIds(db, request.conversationId).slice(-MAX_REFERENCES);
  const queued = queueEmail(db, {
    conversationId: request.conversationId,
    messageId: request.reportOn.id,
    kind: request.kind,
    toAddress: recipient.email,
    subject: content.subject,
    html: content.html,
    text: content.text,
    messageIdHeader: newMessageIdHeader(settings.inboundDomain),
    inReplyTo: references[references.length - 1] ?? null,
    references: references.length ? references.join(' ') : null,
    replyTo: replyAddress(replyTokenFor(db, request.conversationId), settings.inboundDomain),
    nextAttemptAt: settings.now(),
    // On the same clock as the cap's 24-hour window.
    createdAt: settings.now(),
  });
  return { queued };
}
