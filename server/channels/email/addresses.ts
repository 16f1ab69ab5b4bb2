// The addresses and ids that let a visitor's email reply find its way back to its conversation:
// a Reply-To of reply+<token>@<inbound domain>, and Message-IDs that In-Reply-To/References quote.
import { randomBytes } from 'node:crypto';

/** 128 random bits, lower-case hex: survives mail systems that lower-case the local part. */
export const newReplyToken = (): string => randomBytes(16).toString('hex');

export const replyAddress = (token: string, inboundDomain: string): string => `reply+${token}@${inboundDomain}`;

const REPLY_TOKEN_PATTERN = /^reply\+([0-9a-f]{32})@/i;
/** Anything that looks like one of our reply addresses, even with a token we never issued. */
const REPLY_ADDRESS_PATTERN = /^reply\+[^@]*@/i;

/** The reply token in one of our Reply-To addresses, or null. */
export function replyTokenOf(address: string): string | null {
  return REPLY_TOKEN_PATTERN.exec(address.trim())?.[1]?.toLowerCase() ?? null;
}

export const looksLikeReplyAddress = (address: string): boolean => REPLY_ADDRESS_PATTERN.test(address.trim());

export const newMessageIdHeader = (domain: string): string => `<${randomBytes(12).toString('hex')}.parley@${domain}>`;

/** `<a@x> <b@y>` or a single id → ['<a@x>', '<b@y>']; tolerates ids without brackets. */
export function messageIdsIn(header: string | null | undefined): string[] {
  if (!header) return [];
  const bracketed = header.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return header
    .split(/[\s,]+/)
    .filter((id) => id.includes('@'))
    .map((id) => `<${id}>`);
}

/** Normalises one Message-ID to its `<…>` form. */
export const normaliseMessageId = (id: string): string => messageIdsIn(id)[0] ?? id.trim();
