// Where an incoming email lands. A reply to one of our emails is threaded into its conversation by
// the reply token in the address it was sent to, else by In-Reply-To/References; quoted history is
// stripped (replyText.ts, htmlToText.ts). A reply From an address other than the contact's is threaded but
// kept from the visitor's widget. Other mail joins the sender's latest open conversation, or starts
// one, so one person never ends up with a pile of parallel threads. A reply from the address a web
// visitor only typed, quoting an email we sent to it, proves the mailbox: the visitor joins its
// contact. Nothing else links mail to such a visitor, so new mail never lands in their chat.
// Automatic mail (automaticMail.ts) takes its own turns: a bounce marks the email it returns
// (bounces.ts); an auto-reply joins only the conversation it answers, as a muted line.
import type { Attachments } from '../../../attachments';
import type { Conversations } from '../../../conversations';
import type { Storage, Stores } from '../../../storage';
import { boundedText } from '../../boundedText';
import { looksLikeReplyAddress, replyTokenOf } from '../addresses';
import { recipientOf } from '../outgoing';
import { recordBounce, type BounceOutcome } from './bounces';
import { keepEmailFiles, type ResendSource } from './emailFiles';
import type { InboundEmail } from './parse';

/** Sent to reply+<token>@ with a token we never issued, and no header names one of our emails. */
export class UnknownReplyTokenError extends Error {}

export interface ReceivedEmail {
  conversationId: number;
  messageId: number;
  duplicate: boolean;
  threadedBy: 'token' | 'header' | 'contact' | 'new';
}

/** Automatic mail that was not stored as a message: a bounce, or an auto-reply answering nothing of ours. */
export type SetAsideEmail = BounceOutcome | { setAside: 'autoReply'; conversationId: null };

/** How another sender is named on the message: their name and address, as their From header gave them. */
const senderLabel = (from: InboundEmail['from']) => (from.name ? `${from.name.slice(0, 200)} <${from.address}>` : from.address);

/** A plain-text part is kept this long beside the raw source (which holds all of it). */
const ORIGINAL_TEXT_WITH_SOURCE_CHARS = 256 * 1024;

const TRUNCATED = '\n[…] (shortened; the whole email is kept with the conversation)';

/**
 * Whether this email answers one we sent to its From address in this conversation. The Message-ID
 * of our email reached only that mailbox; the reply token did not (it is the same in every email of
 * the conversation, including ones sent to an address the visitor typed earlier), and a From
 * header proves nothing on its own.
 */
function answersEmailSentTo(storage: Stores, conversationId: number, address: string, email: InboundEmail): Promise<boolean> {
  return storage.email.sentTo(conversationId, address, [...email.inReplyTo, ...email.references]);
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
async function placeEmail(storage: Stores, email: InboundEmail, now: number): Promise<Placement | null> {
  const automatic = email.automatic !== null;
  // A person's own name for their address, unless they already have one (a machine's says nothing).
  if (!automatic && email.from.name) await storage.email.nameUnnamedContact(email.from.address, email.from.name.slice(0, 200));
  const thread = await findThread(storage, email);
  if (thread) {
    const recipient = await recipientOf(storage, thread.conversationId);
    const fromRecipient = recipient?.email === email.from.address;
    const provesMailbox =
      !automatic &&
      fromRecipient &&
      !recipient.verified &&
      (await answersEmailSentTo(storage, thread.conversationId, email.from.address, email));
    if (provesMailbox) {
      const conversation = await storage.conversations.conversationById(thread.conversationId);
      await storage.conversations.verifyTypedEmail(conversation!.visitorId, email.from.name);
    }
    // Only the proven address writes as the visitor; anything else is shown to agents alone.
    const otherSender = fromRecipient && (recipient.verified || provesMailbox) ? null : senderLabel(email.from);
    return { ...thread, otherSender, isReply: true };
  }
  // An auto-reply that answers nothing of ours starts nothing: no contact, no conversation.
  if (email.automatic?.kind === 'autoReply') return null;
  const contactId = await storage.email.contactFor(email.from.address, email.from.name);
  const open = await storage.email.latestOpenConversationOf(contactId);
  if (open) return { conversationId: open, threadedBy: 'contact', otherSender: null, isReply: false };
  const participant = await storage.email.emailParticipantOf(contactId, now);
  const conversationId = (await storage.conversations.createConversation(participant, now)).id;
  return { conversationId, threadedBy: 'new', otherSender: null, isReply: false };
}

async function findThread(storage: Stores, email: InboundEmail): Promise<{ conversationId: number; threadedBy: 'token' | 'header' } | null> {
  for (const address of email.recipients) {
    const token = replyTokenOf(address);
    const conversationId = token ? await storage.email.conversationByReplyToken(token) : null;
    if (conversationId) return { conversationId, threadedBy: 'token' };
  }
  const byHeader = await storage.email.conversationByMessageIds([...email.inReplyTo, ...[...email.references].reverse()]);
  if (byHeader) return { conversationId: byHeader, threadedBy: 'header' };
  if (email.recipients.some(looksLikeReplyAddress)) {
    throw new UnknownReplyTokenError('The reply address names no conversation this server knows');
  }
  return null;
}

/** Thrown inside the message's transaction to roll it back: an auto-reply with nowhere to go. */
class NowhereToGo extends Error {}

export async function receiveEmail(
  storage: Storage,
  conversations: Conversations,
  email: InboundEmail,
  now: number,
  /** Where its files are kept (and, through Resend, fetched from); without it they are not kept. */
  files?: { attachments: Attachments; resend: ResendSource | null },
): Promise<ReceivedEmail | SetAsideEmail> {
  const describe = `email ${email.messageId} from ${email.from.address || '<>'}`;
  if (email.automatic?.kind === 'bounce') return recordBounce(storage, conversations, email.automatic, describe);
  // Read in the mail reader's worker: the new part of a reply, or the note on an unreadable email.
  const visible = email.visibleText;
  const externalId = await storage.email.inboundExternalId(email.messageId, email.from.address);
  const known = await storage.conversations.messageByExternalId('email', externalId);
  if (known) return { conversationId: known.conversationId, messageId: known.id, duplicate: true, threadedBy: 'header' };
  if (email.automatic?.kind === 'autoReply') {
    // Checked before anything is written: most auto-replies that answer nothing of ours are spam backscatter.
    let thread: Awaited<ReturnType<typeof findThread>> = null;
    try {
      thread = await findThread(storage, email);
    } catch (err) {
      if (!(err instanceof UnknownReplyTokenError)) throw err;
    }
    if (!thread) {
      console.log(`[parley] ${describe}: an automatic reply (${email.automatic.marker}) answering none of our emails; dropped`);
      return { setAside: 'autoReply', conversationId: null };
    }
  }
  const rawSourceId = email.rawSource ? await storage.email.storeRawSource(email.rawSource) : null;
  // On disk before the message that names them commits.
  const prepared = files ? await keepEmailFiles(files.attachments, email, files.resend) : [];
  let attachmentIds: number[] = [];

  let placement: Placement | null = null;
  let stored: Awaited<ReturnType<Conversations['storeChannelMessage']>>;
  try {
    stored = await conversations.storeChannelMessage({
      // In the message's transaction: the conversation it joins or starts, and who wrote it.
      place: async (tx) => {
        const placed = (placement = await placeEmail(tx, email, now));
        if (!placed) throw new NowhereToGo();
        // New mail starts with its subject; a reply's subject is only "Re: …" of ours.
        const body = boundedText(
          (!placed.isReply && email.subject.trim() ? `${email.subject.trim()}\n\n${visible}` : visible) || '(The email had no text)',
          TRUNCATED,
        );
        const recorded = await files?.attachments.record(prepared, tx);
        attachmentIds = recorded?.ids ?? [];
        const attachments = recorded?.attachments.length ? recorded.attachments : null;
        return { ...placed, author: 'visitor' as const, channel: 'email' as const, body, externalId, automatic: email.automatic !== null, attachments };
      },
      // In the message's transaction too: a stored email always has its original beside it.
      alongside: async (tx, { message }, placed) => {
        await tx.attachments.linkToMessage(attachmentIds, message.id);
        await tx.email.recordInboundEmail({
          messageId: message.id,
          messageIdHeader: email.messageId,
          fromAddress: email.from.address,
          subject: email.subject.slice(0, 1000),
          // The raw source holds the whole email; the text beside it only needs to be readable.
          originalText: rawSourceId === null ? email.text : email.text.slice(0, ORIGINAL_TEXT_WITH_SOURCE_CHARS),
          rawSourceId,
          unreadable: email.unreadable,
          threadedBy: placed.threadedBy,
        });
        // The contact panel's "last seen" is the last time we heard from them, as for Messenger. Mail
        // from another address says nothing about the contact.
        const conversation = placed.otherSender ? null : await tx.conversations.conversationById(placed.conversationId);
        if (conversation && !email.automatic) await tx.conversations.participantSeen(conversation.visitorId, now);
      },
    });
  } catch (err) {
    if (!(err instanceof NowhereToGo)) throw err;
    if (rawSourceId !== null) await storage.email.deleteRawSource(rawSourceId);
    await storage.attachments.forgetUnlinked(attachmentIds);
    return { setAside: 'autoReply', conversationId: null };
  }
  // Delivered twice at once: the other delivery stored the message, with its own copy of the source.
  if (stored.duplicate && rawSourceId !== null) await storage.email.deleteRawSource(rawSourceId);
  if (stored.duplicate) await storage.attachments.forgetUnlinked(attachmentIds);
  const threadedBy = (placement as Placement | null)?.threadedBy ?? 'header';
  return { conversationId: stored.message.conversationId, messageId: stored.message.id, duplicate: stored.duplicate, threadedBy };
}
