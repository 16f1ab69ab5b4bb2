// Signing in and out, and the one-time "Create the first admin" setup.
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ChannelSupport } from '../../../shared/channels';
import { SESSION_COOKIE } from '../../../shared/limits';
import { newAgentBody, signInBody, type ApiError, type SessionView } from '../../../shared/protocol';
import { agentCount, authenticate, createAgent, endSession, resolveSession, startSession } from '../../agents';
import type { Db } from '../../db';
import { jsonBody } from '../../http/validate';
import { clearSessionCookie, requireAgent, setSessionCookie, type InboxEnv } from '../auth';

export function sessionRoutes(db: Db, channels: () => ChannelSupport): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();

  routes.get('/session', (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? resolveSession(db, token) : null;
    const view: SessionView = {
      agent: session?.agent ?? null,
      csrfToken: session?.csrfToken ?? null,
      setupRequired: !session && agentCount(db) === 0,
      channels: channels(),
    };
    return c.json(view);
  });

  routes.post('/session', async (c) => {
    const input = await jsonBody(c, signInBody);
    if (!input.ok) return input.response;
    const agent = await authenticate(db, input.value.email, input.value.password);
    if (!agent) return c.json({ error: 'Wrong email or password' } satisfies ApiError, 401);
    const session = startSession(db, agent.id);
    setSessionCookie(c, session.token);
    return c.json({ agent, csrfToken: session.csrfToken, setupRequired: false, channels: channels() } satisfies SessionView);
  });

  /** One-time: creates the first admin while no agent exists, then refuses for ever. */
  routes.post('/setup', async (c) => {
    const input = await jsonBody(c, newAgentBody);
    if (!input.ok) return input.response;
    if (agentCount(db) > 0) return c.json({ error: 'Parley already has an admin; sign in instead' } satisfies ApiError, 409);
    const agent = await createAgent(db, { ...input.value, role: 'admin' });
    const session = startSession(db, agent.id);
    setSessionCookie(c, session.token);
    return c.json({ agent, csrfToken: session.csrfToken, setupRequired: false, channels: channels() } satisfies SessionView, 201);
  });

  routes.delete('/session', requireAgent(db), (c) => {
    endSession(db, c.get('sessionToken'));
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  return routes;
}
