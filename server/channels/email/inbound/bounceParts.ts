// Reads the parts of a suspected bounce that the person-mail reading leaves out: the delivery status
// report and the returned message (or its headers). Runs in the mail reader's worker, only for mail
// that `mayBeBounce` picked out; it never throws (a notice it cannot read is a bounce without details).
import type { BounceParts, FetchedBouncePart } from './automaticMail';
import { INBOUND_LIMITS } from './parse';

/** A returned message is read for its headers: its first bytes are enough. */
export const RETURNED_BYTES = 64 * 1024;
export const REPORT_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status', 'message/disposition-notification']);
export const RETURNED_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global', 'message/global-headers']);

/** Whether a part of this type says which of our emails bounced, or why. */
export const isBouncePartType = (mimeType: string | null): boolean =>
  mimeType !== null && (REPORT_TYPES.has(mimeType.toLowerCase()) || RETURNED_TYPES.has(mimeType.toLowerCase()));

const asText = (content: ArrayBuffer | Uint8Array | string): string => {
  if (typeof content === 'string') return content.slice(0, RETURNED_BYTES);
  const bytes = content instanceof Uint8Array ? content : new Uint8Array(content);
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, RETURNED_BYTES)).toString('latin1');
};

export async function bouncePartsOf(raw: Uint8Array, text: string): Promise<BounceParts> {
  const parts: BounceParts = { deliveryStatus: [], returned: [], text };
  try {
    const { default: PostalMime } = await import('postal-mime');
    // Returned messages as attachments, not inlined into the text: their headers are what we need.
    const email = await new PostalMime({
      forceRfc822Attachments: true,
      maxNestingDepth: INBOUND_LIMITS.nesting,
      maxHeadersSize: INBOUND_LIMITS.headerBytes,
    }).parse(raw);
    for (const attachment of email.attachments.slice(0, INBOUND_LIMITS.attachments)) {
      const type = attachment.mimeType.toLowerCase();
      if (REPORT_TYPES.has(type)) parts.deliveryStatus.push(asText(attachment.content));
      else if (RETURNED_TYPES.has(type)) parts.returned.push(asText(attachment.content));
    }
  } catch {
    // Unreadable structure: the text read earlier is all there is.
  }
  return parts;
}

/** The parts of a notice that Resend held as attachments, fetched by the caller, read as `bouncePartsOf` reads a raw one's. */
export function bouncePartsFromFetched(fetched: FetchedBouncePart[], text: string): BounceParts {
  const parts: BounceParts = { deliveryStatus: [], returned: [], text };
  for (const part of fetched) {
    const type = part.mimeType.toLowerCase();
    if (REPORT_TYPES.has(type)) parts.deliveryStatus.push(asText(part.bytes));
    else if (RETURNED_TYPES.has(type)) parts.returned.push(asText(part.bytes));
  }
  return parts;
}
