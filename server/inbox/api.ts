// The JSON API under /api that the inbox page uses (documented in docs/api.md). Same-origin only:
// no CORS headers, an Origin check, and a CSRF token on every state-changing call.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../shared/limits';
import {
  conversationListQuery,
  newAgentBody,
  replyBody,
  signInBody,
  type ApiError,
  type SessionView,
} from '../../shared/protocol';
import { agentCount, authenticate, createAgent, endSession, resolveSession, startSession } from '../agents';
import { ConversationNotFoundError, type Conversations } from '../conversations';
import type { Db } from '../db';
import { idParam, jsonBody, queryParams } from '../http/validate';
import { clearSessionCookie, requireAgent, setSessionCookie, type InboxEnv } from './auth';

const API_BODY_LIMIT_BYTES = 64 * 1024;

export function inboxApi(deps: { db: Db; conversations: Conversations }): Hono<InboxEnv> {
  const { db, conversations } = deps;
  const api = new Hono<InboxEnv>();

  api.use(csrf());
  api.use(bodyLimit({ maxSize: API_BODY_LIMIT_BYTES, onError: (c) => c.json({ error: 'Body too large' }, 413) }));

  api.get('/session', (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? resolveSession(db, token) : null;
    const view: SessionView = {
      agent: session?.agent ?? null,
      csrfToken: session?.csrfToken ?? null,
      setupRequired: !session && agentCount(db) === 0,
    };
    return c.json(view);
  });

  api.post('/session', async (c) => {
    const input = await jsonBody(c, signInBody);
    if (!input.ok) return input.response;
    const agent = await authenticate(db, input.value.email, input.value.password);
    if (!agent) return c.json({ error: 'Wrong email or password' } satisfies ApiError, 401);
    const session = startSession(db, agent.id);
    setSessionCookie(c, session.token);
    return c.json({ agent, csrfToken: session.csrfToken, setupRequired: false } satisfies SessionView);
  });

  /** One-time: creates the first admin while no agent exists, then refuses for ever. */
  api.post('/setup', async (c) => {
    const input = await jsonBody(c, newAgentBody);
    if (!input.ok) return input.response;
    if (agentCount(db) > 0) return c.json({ error: 'Parley already has an admin; sign in instead' } satisfies ApiError, 409);
    const agent = await createAgent(db, { ...input.value, role: 'admin' });
    const session = startSession(db, agent.id);
    setSessionCookie(c, session.token);
    return c.json({ agent, csrfToken: session.csrfToken, setupRequired: false } satisfies SessionView, 201);
  });

  // Everything below needs a signed-in agent.
  api.use('*', requireAgent(db));

  api.delete('/session', (c) => {
    endSession(db, c.get('sessionToken'));
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  api.get('/conversations', (c) => {
    const query = queryParams(c, conversationListQuery);
    if (!query.ok) return query.response;
    return c.json(conversations.list(query.value));
  });

  api.get('/conversations/:id', (c) => {
    const id = idParam(c, 'id');
    // A ConversationDetail, serialised by the store (see conversations.detailJson).
    const detail = id === null ? null : conversations.detailJson(id);
    if (!detail) return c.json({ error: 'No such conversation' } satisfies ApiError, 404);
    return c.body(detail, 200, { 'content-type': 'application/json; charset=UTF-8' });
  });

  // Conversations are never deleted: the record of what was said stays.
  api.delete('/conversations/:id', (c) =>
    c.json({ error: 'Conversations cannot be deleted' } satisfies ApiError, 405, { Allow: 'GET' }),
  );

  api.post('/conversations/:id/messages', async (c) => {
    const id = idParam(c, 'id');
    if (id === null) return c.json({ error: 'No such conversation' } satisfies ApiError, 404);
    const input = await jsonBody(c, replyBody);
    if (!input.ok) return input.response;
    try {
      const message = conversations.storeAgentReply({ conversationId: id, agentId: c.get('agent').id, ...input.value });
      return c.json({ message }, 201);
    } catch (err) {
      if (err instanceof ConversationNotFoundError) return c.json({ error: 'No such conversation' } satisfies ApiError, 404);
      throw err;
    }
  });

  api.notFound((c) => c.json({ error: 'No such API route' } satisfies ApiError, 404));
  return api;
}
