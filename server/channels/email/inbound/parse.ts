// Reads an incoming email, from raw RFC 822 bytes (postal-mime) or from Resend's received-email
// record, into one shape the threading code understands.
import type { Address } from 'postal-mime';
import { messageIdsIn, normaliseMessageId } from '../addresses';

export interface InboundEmail {
  /** `<…>`; when the sender gave none, a stable id derived from the content (so duplicates match). */
  messageId: string;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string | null };
  /** Every recipient address (To, Cc, and the envelope's, when known), lower-case. */
  recipients: string[];
  subject: string;
  text: string;
}

export class MalformedEmailError extends Error {}

const mailboxes = (list: Address[] | undefined): { address: string; name: string }[] =>
  (list ?? []).flatMap((a) => (a.group ? a.group : a.address ? [{ address: a.address, name: a.name }] : []));

/** Plain text of an HTML-only email: good enough to read a reply, never rendered as HTML. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export async function parseRawEmail(raw: Uint8Array, fallbackId: () => string): Promise<InboundEmail> {
  // Loaded on first use, like every inbound-mail library: start-up stays fast.
  const { default: PostalMime } = await import('postal-mime');
  let email;
  try {
    email = await PostalMime.parse(raw);
  } catch (err) {
    throw new MalformedEmailError(`Not a readable MIME message: ${err instanceof Error ? err.message : String(err)}`);
  }
  const from = mailboxes(email.from ? [email.from] : undefined)[0];
  if (!from || !from.address.includes('@')) throw new MalformedEmailError('The message has no From address');
  const text = email.text?.trim() ? email.text : email.html ? htmlToText(email.html) : '';
  if (!email.headers.length) throw new MalformedEmailError('The message has no headers');
  return {
    messageId: email.messageId ? normaliseMessageId(email.messageId) : fallbackId(),
    inReplyTo: messageIdsIn(email.inReplyTo),
    references: messageIdsIn(email.references),
    from: { address: from.address.toLowerCase(), name: from.name || null },
    recipients: [...mailboxes(email.to), ...mailboxes(email.cc)].map((m) => m.address.toLowerCase()),
    subject: email.subject ?? '',
    text,
  };
}
