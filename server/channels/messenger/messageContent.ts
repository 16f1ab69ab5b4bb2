// Turns Messenger content into what Parley stores and back: hostile text is bounded, attachment URLs
// must be http(s), and a reply longer than Messenger accepts is split into parts. Pure functions: no
// storage, no network.
import { MAX_MESSAGE_LENGTH } from '../../../shared/limits';
import { boundedText, cutAt } from '../boundedText';
import type { Attachment } from '../../../shared/protocol';
import { sharedLink, httpUrl } from './sharedLink';
import { sharedLocation } from './sharedLocation';
import type { MessengerAttachment } from './webhookPayload';

/** The Send API refuses text longer than this (in UTF-16 code units, as JavaScript counts). */
export const MESSENGER_TEXT_LIMIT = 2000;
const MAX_ATTACHMENTS = 10;
const MAX_NAME_LENGTH = 200;
export const TRUNCATION_MARKER = `… [shortened by Parley: the message was longer than ${MAX_MESSAGE_LENGTH} characters]`;

const ATTACHMENT_LABELS: Record<string, string> = {
  image: 'Photo',
  video: 'Video',
  audio: 'Audio',
  file: 'File',
  // A location or link with nothing to show of it (sharedLocation.ts and sharedLink.ts read the rest).
  location: 'Location without coordinates',
  fallback: 'Shared content',
  template: 'Card',
};

/** A file's name: the title Meta gives, else the last part of its CDN path (".../invoice.pdf"). */
function fileName(attachment: MessengerAttachment, url: URL): string | undefined {
  let name = attachment.payload?.title;
  if (!name && attachment.type === 'file') {
    const last = url.pathname.split('/').pop() ?? '';
    try {
      name = decodeURIComponent(last);
    } catch {
      name = last;
    }
  }
  return name ? cutAt(name, Math.min(name.length, MAX_NAME_LENGTH)) : undefined;
}

const label = (type: string) => (Object.hasOwn(ATTACHMENT_LABELS, type) ? ATTACHMENT_LABELS[type] : 'Attachment');

/** What the inbox shows: images as thumbnails, everything else as a link. */
function storedType(type: string): string {
  if (type === 'image' || type === 'video' || type === 'audio') return type;
  return type === 'fallback' ? 'link' : 'file';
}

export interface StoredContent {
  body: string;
  attachments: Attachment[];
}

/**
 * What to store for a Messenger message: its text (bounded), and its attachments as links. A message
 * with attachments but no text gets a short body ("[Photo]") so the inbox list has something to show.
 * Null when there is nothing to store.
 */
export function storedContent(message: { text?: string; attachments?: MessengerAttachment[] }): StoredContent | null {
  const received = (message.attachments ?? []).slice(0, MAX_ATTACHMENTS);
  const attachments: Attachment[] = [];
  const summaries: string[] = [];
  for (const attachment of received) {
    // A location or a shared link is shown as what it is, whatever shape it came in.
    const shared = attachment.type === 'location' || attachment.type === 'fallback' ? (sharedLocation(attachment) ?? sharedLink(attachment)) : null;
    if (shared) {
      attachments.push(shared.attachment);
      summaries.push(shared.summary);
      continue;
    }
    summaries.push(`[${label(attachment.type)}]`);
    const url = httpUrl(attachment.payload?.url);
    if (!url) continue;
    const type = storedType(attachment.type);
    const name = fileName(attachment, url);
    attachments.push(name ? { type, url: url.href, name } : { type, url: url.href });
  }
  const text = boundedText((message.text ?? '').trim(), TRUNCATION_MARKER);
  const body = text || summaries.join(' ');
  return body ? { body, attachments } : null;
}

/** A reply as the Send API takes it: parts of at most MESSENGER_TEXT_LIMIT, split at whitespace when possible. */
export function messengerParts(text: string, limit = MESSENGER_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = cutAt(rest, limit);
    const space = window.search(/\s\S*$/);
    const part = space > limit / 2 ? window.slice(0, space) : window;
    parts.push(part.trimEnd());
    rest = rest.slice(part.length).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
