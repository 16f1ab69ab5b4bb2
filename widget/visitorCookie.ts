// The visitor's identity on the host site: one first-party cookie holding the server-issued token.
// Written only after the visitor's first message, never on a mere page view. The launcher reads it
// too (is this a returning visitor?), so both files share these few lines of `document.cookie`.
// Why not js-cookie: its general encoding, converters and attribute API were 524 bytes of brotli, most
// of the 612 the widget was over its 14 KB budget; our one cookie holds a URL-safe token (still
// percent-encoded, so a strange value cannot add attributes) and always the same four attributes.
import { VISITOR_COOKIE } from '../shared/limits';

const YEAR_MS = 365 * 86_400_000;
const PREFIX = `${VISITOR_COOKIE}=`;

/**
 * This site's visitor token, or undefined; another cookie that merely ends in our name is not ours.
 * Read as written: a token is base64url, which the percent-encoding in setCookie leaves as it is.
 */
export const readVisitorToken = (): string | undefined =>
  document.cookie.split('; ').find((pair) => pair.startsWith(PREFIX))?.slice(PREFIX.length);

/** An `expires` date rather than max-age, as js-cookie wrote it: understood by every cookie jar. */
const setCookie = (value: string, expires: Date) => {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `${PREFIX}${encodeURIComponent(value)}; expires=${expires.toUTCString()}; path=/; samesite=lax${secure}`;
};

export const visitorCookie = {
  read: readVisitorToken,
  write: (token: string): void => setCookie(token, new Date(Date.now() + YEAR_MS)),
  clear: (): void => setCookie('', new Date(0)),
};

export type VisitorTokenStore = typeof visitorCookie;
