// Inbox sign-in state for HTTP requests: reads the session cookie, and guards every state-changing
// request with the session's CSRF token (on top of SameSite=Strict and an Origin check).
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { CSRF_HEADER, SESSION_COOKIE } from '../../shared/limits';
import { resolveSession, type Agent } from '../agents';
import type { Storage } from '../storage';

export type InboxEnv = { Variables: { agent: Agent; csrfToken: string; sessionToken: string; sessionId: string } };

const SESSION_MAX_AGE_SECONDS = 30 * 86_400;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Secure when this request came over https, or when PARLEY_PUBLIC_URL is https: behind a proxy that
 * ends TLS, the request Parley sees is plain http although the browser's is not.
 */
const isHttps = (c: Context, publicUrlIsHttps: boolean) => publicUrlIsHttps || new URL(c.req.url).protocol === 'https:';

export function setSessionCookie(c: Context, token: string, publicUrlIsHttps = false): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isHttps(c, publicUrlIsHttps),
    path: '/',
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

export function clearSessionCookie(c: Context, publicUrlIsHttps = false): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c, publicUrlIsHttps) });
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** 401 unless signed in; 403 for a state-changing request without the session's CSRF token. */
export function requireAgent(storage: Storage): MiddlewareHandler<InboxEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await resolveSession(storage, token) : null;
    if (!token || !session) return c.json({ error: 'Sign in first' }, 401);
    if (!SAFE_METHODS.has(c.req.method) && !sameSecret(c.req.header(CSRF_HEADER) ?? '', session.csrfToken)) {
      return c.json({ error: 'Missing or wrong CSRF token' }, 403);
    }
    c.set('agent', session.agent);
    c.set('csrfToken', session.csrfToken);
    c.set('sessionToken', token);
    c.set('sessionId', session.sessionId);
    await next();
  };
}
