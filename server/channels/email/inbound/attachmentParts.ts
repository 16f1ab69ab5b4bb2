// The files an email carries, read in the mail reader's worker (never on the event loop): each
// part's bytes with their SHA-256, a forwarded email's subject and readable text, and Resend's list
// of attachments to fetch. It keeps nothing and decides no caps; server/attachments does.
import { createHash } from 'node:crypto';
import type { Attachment as MimePart } from 'postal-mime';
import { z } from 'zod';
import type { IncomingFile } from '../../../attachments';
import { INBOUND_LIMITS } from './parse';

/** A forwarded email's text is shown on its entry this long at most (its bytes are kept whole). */
const FORWARDED_TEXT_CHARS = 4000;
/** Forwarded emails read for their subject and text; the rest are kept as files only. */
const FORWARDED_READ = 10;

/** An email file in the worker: its bytes travel to the event loop transferred, never copied. */
export type EmailFile = IncomingFile & { sha256: string };

/** An attachment Resend holds for a received email: fetched through its API before the email is stored. */
export interface ResendAttachmentRef {
  id: string;
  name: string | null;
  mimeType: string | null;
  size: number | null;
  /** When the record already carries a signed download address. */
  downloadUrl: string | null;
}

const bytesOf = (content: MimePart['content']): Uint8Array =>
  typeof content === 'string' ? new TextEncoder().encode(content) : content instanceof Uint8Array ? content.slice() : new Uint8Array(content);

/** Subject and readable text of a forwarded email, or null if it cannot be read. */
async function forwardedEmail(bytes: Uint8Array): Promise<{ subject: string; text: string } | null> {
  const { default: PostalMime } = await import('postal-mime');
  try {
    const email = await new PostalMime({
      maxNestingDepth: INBOUND_LIMITS.nesting,
      maxHeadersSize: INBOUND_LIMITS.headerBytes,
      maxRfc822NestingDepth: 0,
    }).parse(bytes);
    let text = email.text?.trim() ? email.text : '';
    if (!text && email.html) {
      const { htmlToText } = await import('./htmlToText');
      text = htmlToText(email.html);
    }
    text = text.trim();
    return {
      subject: (email.subject ?? '').trim() || 'Forwarded email',
      text: text.length > FORWARDED_TEXT_CHARS ? `${text.slice(0, FORWARDED_TEXT_CHARS)}…` : text,
    };
  } catch {
    return null;
  }
}

/** Every part postal-mime set aside (attachments, inline and cid: images, forwarded emails) as files. */
export async function filesOfEmail(parts: MimePart[]): Promise<EmailFile[]> {
  const files: EmailFile[] = [];
  let forwardedRead = 0;
  for (const part of parts.slice(0, INBOUND_LIMITS.attachments)) {
    const bytes = bytesOf(part.content);
    const file: EmailFile = { name: part.filename, mimeType: part.mimeType, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
    if (part.mimeType.toLowerCase() === 'message/rfc822' && forwardedRead < FORWARDED_READ) {
      forwardedRead++;
      const forwarded = await forwardedEmail(bytes);
      if (forwarded) file.forwarded = forwarded;
    }
    files.push(file);
  }
  return files;
}

const resendAttachment = z.object({
  id: z.string().min(1).max(200),
  filename: z.string().max(1000).nullish(),
  content_type: z.string().max(200).nullish(),
  size: z.number().int().nonnegative().nullish(),
  download_url: z.string().max(4000).nullish(),
});

/** The attachments a Resend record lists (entries of another shape are skipped). */
export function resendAttachmentsOf(list: unknown[] | null | undefined): ResendAttachmentRef[] {
  return (list ?? []).slice(0, INBOUND_LIMITS.attachments).flatMap((raw) => {
    const item = resendAttachment.safeParse(raw);
    if (!item.success) return [];
    const { id, filename, content_type, size, download_url } = item.data;
    return [{ id, name: filename ?? null, mimeType: content_type ?? null, size: size ?? null, downloadUrl: download_url ?? null }];
  });
}
