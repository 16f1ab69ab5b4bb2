// A postback (Get Started, a persistent-menu item such as "Talk to a human", a button tap) as the
// person's message: the button's title, never the developer's payload string unless there is no title.
// Pure: it keeps the payload out of view and bounds what is stored, and never touches storage.
import { createHash } from 'node:crypto';
import { cutAt } from '../boundedText';
import { MAX_TITLE_LENGTH } from './sharedLink';
import type { MessagingEvent } from './webhookPayload';

type Postback = NonNullable<MessagingEvent['postback']>;

/** What the inbox shows for the tap. */
export function postbackBody(postback: Postback): string {
  const words = (postback.title ?? '').trim() || (postback.payload ?? '').trim() || 'Tapped a button';
  const line = words.replace(/\s+/g, ' ');
  return cutAt(line, Math.min(line.length, MAX_TITLE_LENGTH));
}

/**
 * The id a retried delivery of the same tap is recognised by: Meta's mid, or, for postbacks that have
 * none, the sender, time and payload (hashed, so a 1,000-character payload keeps the id short).
 */
export function postbackId(postback: Postback, psid: string, timestamp: number | undefined): string {
  if (postback.mid) return postback.mid;
  const digest = createHash('sha256')
    .update(JSON.stringify([psid, timestamp ?? null, postback.payload ?? null, postback.title ?? null]))
    .digest('hex');
  return `postback:${digest.slice(0, 40)}`;
}
