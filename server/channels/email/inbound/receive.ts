// Where an incoming email lands. A reply to one of our emails is threaded into its conversation by
// the reply token in the address it was sent to, else by In-Reply-To/References; quoted history is
// stripped (email-reply-parser). A reply From an address other than the contact's is threaded but
// kept from the visitor's widget. Other mail joins the sender's latest open conversation, or starts
// one, so one person never ends up with a pile of parallel threads. A reply from the address a web
// visitor only typed, quoting an email we sent to it, proves the mailbox: the visitor joins its
// contact. Nothing else links mail to such a visitor, so new mail never lands in their chat.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Conversations } from '../../../conversations';
import { boundedText } from '../../boundedText';
import { schema, type Db } from '../../../db';
import { conversationById, createConversation, participantSeen, verifyTypedEmail } from '../../../storage/sqlite/conversations';
import { deleteRawSource, storeRawSource } from '../../../storage/sqlite/rawSources';
import { looksLikeReplyAddress, replyTokenOf } from '../addresses';
import { recipientOf } from '../outgoing';
import type { InboundEmail } from './parse';

const { contacts, conversations, emailOutbox, inboundEmails, messages, visitors } = schema;

/** Sent to reply+<token>@ with a token we never issued, and no header names one of our emails. */
export class UnknownReplyTokenError extends Error {}

export interface ReceivedEmail {
  conversationId: number;
  messageId: number;
  duplicate: boolean;
  threadedBy: 'token' | 'header' | 'contact' | 'new';
}

/** A plain-text part is kept this long beside the raw source (which holds all of it). */
const ORIGINAL_TEXT_WITH_SOURCE_CHARS = 256 * 1024;

const TRUNCATED = '\n[…] (shortened; the whole email is kept with the conversation)';

function conversationByToken(db: Db, token: string): number | null {
  return db.select({ id: conversations.id }).from(conversations).where(eq(conversations.replyToken, token)).get()?.id ?? null;
}

/** The conversation of the newest of these Message-IDs that we sent or received. */
function conversationByMessageIds(db: Db, ids: string[]): number | null {
  if (ids.length === 0) return null;
  const sent = db
    .select({ conversationId: emailOutbox.conversationId })
    .from(emailOutbox)
    .where(inArray(emailOutbox.messageIdHeader, ids))
    .orderBy(desc(emailOutbox.id))
    .get();
  if (sent) return sent.conversationId;
  const received = db
    .select({ conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.channel, 'email'), inArray(messages.externalId, ids)))
    .orderBy(desc(messages.id))
    .get();
  return received?.conversationId ?? null;
}

/** The contact for this address (one per address, case-insensitive), created on first mail. */
function contactFor(db: Db, address: string, name: string | null): number {
  db.insert(contacts).values({ email: address, name }).onConflictDoNothing().run();
  return db.select({ id: contacts.id }).from(contacts).where(eq(contacts.email, address)).get()!.id;
}

/** The contact's latest open conversation on any of their participants (widget visits included). */
function latestOpenConversationOf(db: Db, contactId: number): number | null {
  return (
    db
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
      .where(and(eq(visitors.contactId, contactId), eq(conversations.status, 'open')))
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .get()?.id ?? null
  );
}

/** The contact's email participant, created the first time they write by email. */
function emailParticipantOf(db: Db, contactId: number, now: number): number {
  const existing = db
    .select({ id: visitors.id })
    .from(visitors)
    .where(and(eq(visitors.contactId, contactId), eq(visitors.kind, 'email')))
    .get();
  if (existing) return existing.id;
  return db.insert(visitors).values({ kind: 'email', contactId, lastSeenAt: now }).returning({ id: visitors.id }).get().id;
}

/**
 * Whether this email answers one we sent to its From address in this conversation. The Message-ID
 * of our email reached only that mailbox; the reply token did not (it is the same in every email of
 * the conversation, including ones sent to an address the visitor typed earlier), and a From
 * header proves nothing on its own.
 */
function answersEmailSentTo(db: Db, conversationId: number, address: string, email: InboundEmail): boolean {
  const quoted = [...email.inReplyTo, ...email.references];
  if (quoted.length === 0) return false;
  return Boolean(
    db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.conversationId, conversationId),
          eq(emailOutbox.toAddress, address),
          inArray(emailOutbox.messageIdHeader, quoted),
        ),
      )
      .get(),
  );
}

interface Placement {
  conversationId: number;
  threadedBy: ReceivedEmail['threadedBy'];
  otherSender: string | null;
  isReply: boolean;
}

/**
 * Which conversation an email joins (or starts), and whether it is shown as the participant's;
 * runs inside the message's transaction.
 */
function placeEmail(db: Db, email: InboundEmail, now: number): Placement {
  const thread = findThread(db, email);
  if (thread) {
    const recipient = recipientOf(db, thread.conversationId);
    const fromRecipient = recipient?.email === email.from.address;
    const provesMailbox = fromRecipient && !recipient.verified && answersEmailSentTo(db, thread.conversationId, email.from.address, email);
    if (provesMailbox) verifyTypedEmail(db, conversationById(db, thread.conversationId)!.visitorId, email.from.name);
    // Only the proven address writes as the visitor; anything else is shown to agents alone.
    const otherSender = fromRecipient && (recipient.verified || provesMailbox) ? null : email.from.address;
    return { ...thread, otherSender, isReply: true };
  }
  const contactId = contactFor(db, email.from.address, email.from.name);
  const open = latestOpenConversationOf(db, contactId);
  if (open) return { conversationId: open, threadedBy: 'contact', otherSender: null, isReply: false };
  const participant = emailParticipantOf(db, contactId, now);
  return { conversationId: createConversation(db, participant, now).id, threadedBy: 'new', otherSender: null, isReply: false };
}

function findThread(db: Db, email: InboundEmail): { conversationId: number; threadedBy: 'token' | 'header' } | null {
  for (const address of email.recipients) {
    const token = replyTokenOf(address);
    const conversationId = token ? conversationByToken(db, token) : null;
    if (conversationId) return { conversationId, threadedBy: 'token' };
  }
  const byHeader = conversationByMessageIds(db, [...email.inReplyTo, ...[...email.references].reverse()]);
  if (byHeader) return { conversationId: byHeader, threadedBy: 'header' };
  if (email.recipients.some(looksLikeReplyAddress)) {
    throw new UnknownReplyTokenError('The reply address names no conversation this server knows');
  }
  return null;
}

export async function receiveEmail(db: Db, conversations: Conversations, email: InboundEmail, now: number): Promise<ReceivedEmail> {
  // Read in the mail reader's worker: the new part of a reply, or the note on an unreadable email.
  const visible = email.visibleText;
  const known = db
    .select({ id: messages.id, conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.channel, 'email'), eq(messages.externalId, email.messageId)))
    .get();
  if (known) return { conversationId: known.conversationId, messageId: known.id, duplicate: true, threadedBy: 'header' };
  const rawSourceId = email.rawSource ? await storeRawSource(db, email.rawSource) : null;

  let placement: Placement | null = null;
  const stored = await conversations.storeChannelMessage({
    // In the message's transaction: the conversation it joins or starts, and who wrote it.
    place: () => {
      const placed = (placement = placeEmail(db, email, now));
      // New mail starts with its subject; a reply's subject is only "Re: …" of ours.
      const body = boundedText(
        (!placed.isReply && email.subject.trim() ? `${email.subject.trim()}\n\n${visible}` : visible) || '(The email had no text)',
        TRUNCATED,
      );
      return { ...placed, author: 'visitor' as const, channel: 'email' as const, body, externalId: email.messageId };
    },
    // In the message's transaction too: a stored email always has its original beside it.
    alongside: ({ message }, placed) => {
      db.insert(inboundEmails)
        .values({
          messageId: message.id,
          messageIdHeader: email.messageId,
          fromAddress: email.from.address,
          subject: email.subject.slice(0, 1000),
          // The raw source holds the whole email; the text beside it only needs to be readable.
          originalText: rawSourceId === null ? email.text : email.text.slice(0, ORIGINAL_TEXT_WITH_SOURCE_CHARS),
          rawSourceId,
          unreadable: email.unreadable,
          threadedBy: placed.threadedBy,
        })
        .run();
      // The contact panel's "last seen" is the last time we heard from them, as for Messenger. Mail
      // from another address says nothing about the contact.
      const conversation = placed.otherSender ? null : conversationById(db, placed.conversationId);
      if (conversation) participantSeen(db, conversation.visitorId, now);
    },
  });
  // Delivered twice at once: the other delivery stored the message, with its own copy of the source.
  if (stored.duplicate && rawSourceId !== null) deleteRawSource(db, rawSourceId);
  const threadedBy = (placement as Placement | null)?.threadedBy ?? 'header';
  return { conversationId: stored.message.conversationId, messageId: stored.message.id, duplicate: stored.duplicate, threadedBy };
}
