// The visitor's identity on the host site: one first-party cookie holding the server-issued token.
// Written only after the visitor's first message, never on a mere page view.
import { VISITOR_COOKIE } from '../shared/limits';

// Written by hand rather than with a cookie library (js-cookie was ~400 of the widget's 12 KB
// gzipped): the name is fixed and the token is URL-safe base64, so nothing needs encoding.
const PREFIX = `${VISITOR_COOKIE}=`;
const setCookie = (value: string, maxAgeSeconds: number) => {
  document.cookie = `${PREFIX}${value};path=/;max-age=${maxAgeSeconds};samesite=lax${location.protocol === 'https:' ? ';secure' : ''}`;
};

export const visitorCookie = {
  read: (): string | undefined =>
    document.cookie
      .split('; ')
      .find((cookie) => cookie.startsWith(PREFIX))
      ?.slice(PREFIX.length) || undefined, // an emptied cookie is no token
  /** Kept a year. */
  write: (token: string): void => setCookie(token, 365 * 86_400),
  clear: (): void => setCookie('', 0),
};

export type VisitorTokenStore = typeof visitorCookie;
