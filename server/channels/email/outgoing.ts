// Turns a reply (or a transcript, or unseen chat replies) into a queued email for its conversation:
// who it goes to, the thread it carries, and the headers that let the answer thread back. An address
// the visitor only typed gets a line saying so, and no more than its daily share (unverified.ts).
import type { ChatMessage } from '../../../shared/protocol';
import type { OutboxRow, Stores } from '../../storage';
import { newMessageIdHeader, newReplyToken, replyAddress } from './addresses';
import { composeEmail } from './compose';
import { replySubject } from './replySubject';
import { unverifiedLimitRefusal, unverifiedNotice } from './unverified';

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
export async function recipientOf(storage: Stores, conversationId: number): Promise<Recipient | null> {
  // The same facts personalization tags use: the contact's address and name, or what the visitor typed.
  const { email, name, emailVerified } = await storage.conversations.participantOf(conversationId);
  return email ? { email, name, verified: emailVerified } : null;
}

async function refusalFor(storage: Stores, settings: EmailSettings, recipient: Recipient | null): Promise<string | null> {
  if (!recipient) return 'No email address is known for this visitor yet';
  return recipient.verified ? null : unverifiedLimitRefusal(storage, recipient.email, settings.unverifiedPerDay, settings.now());
}

/** Why an email to this conversation cannot go out now (no address, or the unverified cap), or null. */
export const emailRefusal = async (storage: Stores, settings: EmailSettings, conversationId: number): Promise<string | null> =>
  refusalFor(storage, settings, await recipientOf(storage, conversationId));

/** The conversation's reply token, created the first time it sends an email. */
async function replyTokenFor(storage: Stores, conversationId: number): Promise<string> {
  const existing = await storage.email.replyToken(conversationId);
  if (existing) return existing;
  const token = newReplyToken();
  await storage.email.setReplyToken(conversationId, token);
  // Another process may have set one first: whichever is stored is the conversation's.
  return (await storage.email.replyToken(conversationId)) ?? token;
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
export async function queueConversationEmail(
  storage: Stores,
  settings: EmailSettings,
  request: EmailRequest,
): Promise<{ queued: OutboxRow } | { refused: string }> {
  const recipient = await recipientOf(storage, request.conversationId);
  const refused = await refusalFor(storage, settings, recipient);
  if (refused !== null || !recipient) return { refused: refused ?? 'No email address is known for this visitor yet' };
  const thread = JSON.parse(await storage.conversations.visitorHistoryJson(request.conversationId)) as ChatMessage[];
  const content = composeEmail({
    siteName: settings.siteName,
    top: request.top,
    intro: request.intro,
    thread,
    visitorName: recipient.name,
    notice: recipient.verified ? undefined : unverifiedNotice(settings.siteName),
  });
  const references = (await storage.email.earlierMessageIds(request.conversationId)).slice(-MAX_REFERENCES);
  const subject = replySubject(await storage.email.latestInboundSubject(request.conversationId)) ?? content.subject;
  const replyTo = replyAddress(await replyTokenFor(storage, request.conversationId), settings.inboundDomain);
  const queued = await storage.email.queueEmail({
    conversationId: request.conversationId,
    messageId: request.reportOn.id,
    kind: request.kind,
    toAddress: recipient.email,
    // A conversation a person started by email answers under their subject, in their mail client's thread.
    subject,
    html: content.html,
    text: content.text,
    messageIdHeader: newMessageIdHeader(settings.inboundDomain),
    inReplyTo: references[references.length - 1] ?? null,
    references: references.length ? references.join(' ') : null,
    replyTo,
    nextAttemptAt: settings.now(),
    // On the same clock as the cap's 24-hour window.
    createdAt: settings.now(),
  });
  return { queued };
}
