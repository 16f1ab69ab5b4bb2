// A link someone shared on Messenger (a `fallback` attachment, in its current or older shape), as a link
// with its title. Only http(s) addresses become links; Facebook's l.php redirect is unwrapped so the
// agent sees where the link really goes. Pure: it never fetches anything.
import type { Attachment } from '../../../shared/protocol';
import { cutAt } from '../boundedText';
import type { MessengerAttachment } from './webhookPayload';

const MAX_URL_LENGTH = 2048;
export const MAX_TITLE_LENGTH = 200;
/** Facebook wraps outgoing links in a redirect that carries the target in `u`. */
const REDIRECT_HOSTS = new Set(['l.facebook.com', 'lm.facebook.com', 'www.facebook.com', 'facebook.com', 'm.facebook.com', 'l.messenger.com']);
/** A redirect inside a redirect is unwrapped this many times at most. */
const MAX_UNWRAPS = 2;

/** An http(s) URL, or null (javascript:, data:, garbage, too long). */
export function httpUrl(raw: string | undefined): URL | null {
  if (!raw || raw.length > MAX_URL_LENGTH) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** Where a link really goes: the target of Facebook's l.php redirect when it is http(s), else the link itself. */
export function linkTarget(raw: string | undefined): URL | null {
  let url = httpUrl(raw);
  for (let i = 0; url && i < MAX_UNWRAPS; i++) {
    if (!REDIRECT_HOSTS.has(url.hostname) || url.pathname !== '/l.php') break;
    const target = httpUrl(url.searchParams.get('u') ?? undefined);
    if (!target) break;
    url = target;
  }
  return url;
}

/** A title fit to show: one line, trimmed, bounded; undefined when there is none. */
export function shownTitle(raw: string | undefined): string | undefined {
  const title = (raw ?? '').replace(/\s+/g, ' ').trim();
  return title ? cutAt(title, Math.min(title.length, MAX_TITLE_LENGTH)) : undefined;
}

/** The URL and title of an attachment, wherever Meta put them (in `payload`, or beside it in older shapes). */
export function urlAndTitle(attachment: MessengerAttachment): { url: string | undefined; title: string | undefined } {
  return {
    url: attachment.payload?.url ?? attachment.url,
    title: attachment.payload?.title ?? attachment.title,
  };
}

/**
 * A shared link as the inbox shows it: a link named by its title (else its address), and the words for
 * the message when the person wrote none. Null when there is no http(s) address to link to.
 */
export function sharedLink(attachment: MessengerAttachment): { attachment: Attachment; summary: string } | null {
  const { url, title } = urlAndTitle(attachment);
  const target = linkTarget(url);
  if (!target) return null;
  const name = shownTitle(title);
  const address = cutAt(target.href, Math.min(target.href.length, MAX_TITLE_LENGTH));
  return {
    attachment: { type: 'link', url: target.href, name: name ?? address },
    summary: name ? `Shared a link: ${name}` : `Shared a link: ${address}`,
  };
}
