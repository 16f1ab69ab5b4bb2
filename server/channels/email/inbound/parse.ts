// Reads an incoming email, from raw RFC 822 bytes (postal-mime) or from Resend's received-email
// record, into one shape the threading code understands. Everything here runs in the mail reader's
// worker (mailReader.ts), never on the server's event loop: a stranger's email can cost seconds.
// The libraries are loaded on first use, so the server itself can import the types for free.
import { createHash } from 'node:crypto';
import type { Address, Email } from 'postal-mime';
import { z } from 'zod';
import { messageIdsIn, normaliseMessageId } from '../addresses';
import { automaticMail, headerListLookup, headerRecordLookup, mayBeBounce, type AutomaticMail, type FetchedBouncePart } from './automaticMail';
import { visibleReplyText } from './replyText';
import { filesOfEmail, resendAttachmentsOf, type EmailFile, type ResendAttachmentRef } from './attachmentParts';

export interface InboundEmail {
  /** `<…>`; when the sender gave none, a stable id derived from the content (so duplicates match). */
  messageId: string;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string | null };
  /** Every recipient address (To, Cc, and the envelope's, when known), lower-case. */
  recipients: string[];
  subject: string;
  /** The whole text (from the HTML part when there is no text part); empty when unreadable. */
  text: string;
  /** What the agent reads: the new part of a reply, above the quoted history; or the unreadable note. */
  visibleText: string;
  /** The message as it arrived (raw door only, up to the size cap); null through Resend. */
  rawSource: Uint8Array | null;
  /** Reading it gave up (time budget, memory, hostile structure): the agent sees a note instead. */
  unreadable: boolean;
  /** Sent by a machine (a bounce, an auto-reply, list mail): never answered, never a new contact (automaticMail.ts). */
  automatic: AutomaticMail | null;
  /** The files it carried (raw door): attachments, inline images, forwarded emails. */
  files?: EmailFile[];
  /** The attachments Resend holds for it, fetched before it is stored (Resend door). */
  resendAttachments?: ResendAttachmentRef[];
}

export class MalformedEmailError extends Error {}
/** Past one of INBOUND_LIMITS: refused (413) on the raw door, recorded with a note through Resend. */
export class EmailOverLimitError extends Error {}

/** What one inbound email may hold. Real mail stays far below; past these, reading costs a stranger nothing and us a lot. */
export const INBOUND_LIMITS = {
  /** Bytes of the raw message, or of Resend's JSON record of it. */
  bytes: 10 * 1024 * 1024,
  /** MIME parts, multipart containers included. */
  parts: 500,
  /** multipart inside multipart (postal-mime's depth). */
  nesting: 20,
  attachments: 100,
  /** The header block read to thread an email that could not be read whole. */
  headerBytes: 64 * 1024,
} as const;

export const UNREADABLE_NOTE = 'This email could not be read automatically; its original is kept with the conversation.';

const mailboxes = (list: Address[] | undefined): { address: string; name: string }[] =>
  (list ?? []).flatMap((a) => (a.group ? a.group : a.address ? [{ address: a.address, name: a.name }] : []));

/** The whole text, and what the agent reads: the new part of the text part, else of the HTML part's text. */
const textsOf = async (text: string | null | undefined, html: string | null | undefined): Promise<Pick<InboundEmail, 'text' | 'visibleText'>> => {
  if (text?.trim()) return { text, visibleText: visibleReplyText(text) };
  if (!html) return { text: '', visibleText: '' };
  const { htmlToTexts } = await import('./htmlToText');
  const texts = htmlToTexts(html);
  // The HTML's quote markers go first; the text's own markers catch the rest (Outlook's header block).
  return { text: texts.text, visibleText: visibleReplyText(texts.newText) || visibleReplyText(texts.text) };
};

/** Postal-mime's parse tree, as far as counting its parts needs (not in its typings). */
interface MimeNodeLike {
  childNodes?: MimeNodeLike[];
}

function countParts(root: MimeNodeLike | undefined): number {
  let parts = 0;
  const stack = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    parts++;
    stack.push(...(node.childNodes ?? []));
  }
  return parts;
}

/** No Message-ID: one derived from the bytes, so a redelivery of the same mail still matches. */
const contentId = (raw: Uint8Array) => `<sha256.${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@parley.invalid>`;

async function parseMime(raw: Uint8Array) {
  const { default: PostalMime } = await import('postal-mime');
  const parser = new PostalMime({
    maxNestingDepth: INBOUND_LIMITS.nesting,
    maxHeadersSize: INBOUND_LIMITS.headerBytes,
    maxRfc822NestingDepth: 3,
    // A forwarded email is an attachment of its own (subject and text shown on it), not text
    // run into the body, unless its sender marked it inline.
    rfc822Attachments: true,
  });
  try {
    const email = await parser.parse(raw);
    return { email, parts: countParts((parser as unknown as { root?: MimeNodeLike }).root) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.startsWith('Maximum MIME nesting depth')) throw new EmailOverLimitError(`The email nests MIME parts more than ${INBOUND_LIMITS.nesting} deep`);
    if (message.startsWith('Maximum header size')) throw new EmailOverLimitError(`The email's headers are larger than ${INBOUND_LIMITS.headerBytes / 1024} KB`);
    throw new MalformedEmailError(`Not a readable MIME message: ${message}`);
  }
}

/** A raw RFC 822 message, read whole: headers, text (or HTML made text), the reply's new part. */
export async function readRawEmail(raw: Uint8Array): Promise<InboundEmail> {
  const { email, parts } = await parseMime(raw);
  if (parts > INBOUND_LIMITS.parts) throw new EmailOverLimitError(`The email has more than ${INBOUND_LIMITS.parts} MIME parts`);
  if (email.attachments.length > INBOUND_LIMITS.attachments) {
    throw new EmailOverLimitError(`The email has more than ${INBOUND_LIMITS.attachments} attachments`);
  }
  if (!email.headers.length) throw new MalformedEmailError('The message has no headers');
  const envelope = envelopeOf(email, raw, { allowNoSender: true });
  const texts = await textsOf(email.text, email.html);
  const text = texts.text;
  const header = headerListLookup(email.headers);
  const bounceParts = mayBeBounce(header, envelope.from.address, envelope.subject)
    ? await (await import('./bounceParts')).bouncePartsOf(raw, text)
    : null;
  const automatic = automaticMail({ header, fromAddress: envelope.from.address, ownMessageId: envelope.messageId, ...envelope, parts: bounceParts });
  // A mail server's notice may come From `<>`; anything else needs a sender to thread and answer.
  if (!envelope.from.address && automatic?.kind !== 'bounce') throw new MalformedEmailError('The message has no From address');
  return {
    ...envelope,
    ...texts,
    rawSource: null,
    unreadable: false,
    automatic,
    files: await filesOfEmail(email.attachments),
  };
}

/** Who sent a parsed message, to whom, and what it answers: all that threading needs. */
function envelopeOf(
  email: Email,
  raw: Uint8Array,
  options: { allowNoSender?: boolean } = {},
): Pick<InboundEmail, 'messageId' | 'inReplyTo' | 'references' | 'from' | 'recipients' | 'subject'> {
  const found = mailboxes(email.from ? [email.from] : undefined)[0];
  const from = found?.address.includes('@') ? found : options.allowNoSender ? { address: '', name: email.from?.name ?? '' } : null;
  if (!from) throw new MalformedEmailError('The message has no From address');
  return {
    messageId: email.messageId ? normaliseMessageId(email.messageId) : contentId(raw),
    inReplyTo: messageIdsIn(email.inReplyTo),
    references: messageIdsIn(email.references),
    from: { address: from.address.toLowerCase(), name: from.name || null },
    recipients: [...mailboxes(email.to), ...mailboxes(email.cc)].map((m) => m.address.toLowerCase()),
    subject: email.subject ?? '',
  };
}

/**
 * Only the header block of a raw message (its first INBOUND_LIMITS.headerBytes at most), for an
 * email that could not be read whole: enough to thread it, and to tell the agent it is there.
 */
export async function readEmailHeaders(raw: Uint8Array): Promise<InboundEmail> {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.length, INBOUND_LIMITS.headerBytes));
  const ends = [bytes.indexOf('\r\n\r\n'), bytes.indexOf('\n\n')].filter((i) => i >= 0);
  const block = ends.length > 0 ? bytes.subarray(0, Math.min(...ends)) : bytes;
  const { email } = await parseMime(Buffer.concat([block, Buffer.from('\r\n\r\n')]));
  const envelope = envelopeOf(email, raw);
  const header = headerListLookup(email.headers);
  return {
    ...envelope,
    text: '',
    visibleText: UNREADABLE_NOTE,
    rawSource: null,
    unreadable: true,
    automatic: automaticMail({ header, fromAddress: envelope.from.address, ownMessageId: envelope.messageId, ...envelope, parts: null }),
  };
}

/** Resend's received-email record (GET /emails/receiving/:id), as far as Parley reads it. */
const resendRecord = z.object({
  from: z.string().max(2000),
  to: z.array(z.string().max(2000)).max(1000),
  cc: z.array(z.string().max(2000)).max(1000).nullish(),
  received_for: z.array(z.string().max(2000)).max(1000).nullish(),
  subject: z.string().nullish(),
  text: z.string().nullish(),
  html: z.string().nullish(),
  message_id: z.string().max(2000).nullish(),
  headers: z.record(z.string(), z.unknown()).nullish(),
  attachments: z.array(z.unknown()).nullish(),
});

const header = (headers: Record<string, unknown> | null | undefined, name: string): string | undefined => {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key ? headers[key] : undefined;
  return typeof value === 'string' ? value.slice(0, 10_000) : undefined;
};

/** Resend's JSON record of a received email (the bytes as fetched), read like a raw one. */
export async function readResendEmail(json: Uint8Array, emailId: string, bounceParts?: FetchedBouncePart[]): Promise<InboundEmail> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.length).toString('utf8'));
  } catch {
    throw new MalformedEmailError(`Resend's record of email ${emailId} is not JSON`);
  }
  const record = resendRecord.safeParse(parsed);
  if (!record.success) throw new MalformedEmailError(`Resend's record of email ${emailId} is not a received email`);
  const data = record.data;
  if ((data.attachments?.length ?? 0) > INBOUND_LIMITS.attachments) {
    throw new EmailOverLimitError(`The email has more than ${INBOUND_LIMITS.attachments} attachments`);
  }
  const { addressParser } = await import('postal-mime');
  const addresses = (raw: string) => mailboxes(addressParser(raw));
  const from = addresses(data.from)[0];
  if (!from?.address.includes('@')) throw new MalformedEmailError('The received email has no From address');
  const messageId = data.message_id || header(data.headers, 'message-id');
  const texts = await textsOf(data.text, data.html);
  const text = texts.text;
  const envelope = {
    messageId: messageId ? normaliseMessageId(messageId) : `<resend.${emailId}@resend.invalid>`,
    inReplyTo: messageIdsIn(header(data.headers, 'in-reply-to')),
    references: messageIdsIn(header(data.headers, 'references')),
    from: { address: from.address.toLowerCase(), name: from.name || null },
    recipients: [...data.to, ...(data.cc ?? []), ...(data.received_for ?? [])].flatMap((raw) => addresses(raw).map((a) => a.address.toLowerCase())),
    subject: data.subject ?? '',
  };
  // Resend's record has the notice's text and headers, not its parts: non-standard notices copy the
  // returned headers into the text, and Gmail's quote the failed email in In-Reply-To. A standard
  // notice keeps them in parts Resend lists as attachments: the caller fetches those and reads again.
  const lookup = headerRecordLookup(data.headers);
  const parts = bounceParts
    ? (await import('./bounceParts')).bouncePartsFromFetched(bounceParts, text)
    : mayBeBounce(lookup, envelope.from.address, envelope.subject)
      ? { deliveryStatus: [], returned: [], text }
      : null;
  return {
    ...envelope,
    ...texts,
    rawSource: null,
    unreadable: false,
    automatic: automaticMail({ header: lookup, fromAddress: envelope.from.address, ownMessageId: envelope.messageId, ...envelope, parts }),
    resendAttachments: resendAttachmentsOf(data.attachments),
  };
}
