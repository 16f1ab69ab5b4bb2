// The visitor's identity on the host site: one first-party cookie holding the server-issued token.
// Written only after the visitor's first message, never on a mere page view.
import Cookies from 'js-cookie';
import { VISITOR_COOKIE } from '../shared/limits';

export const visitorCookie = {
  read: (): string | undefined => Cookies.get(VISITOR_COOKIE),
  write(token: string): void {
    Cookies.set(VISITOR_COOKIE, token, {
      expires: 365,
      sameSite: 'Lax',
      secure: location.protocol === 'https:',
      path: '/',
    });
  },
  clear: (): void => Cookies.remove(VISITOR_COOKIE, { path: '/' }),
};

export type VisitorTokenStore = typeof visitorCookie;
