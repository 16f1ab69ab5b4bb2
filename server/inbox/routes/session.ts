// Signing in and out, changing one's password, and the one-time "Create the first admin" setup.
// Every password check goes through the sign-in throttle before any hashing, and ending a session
// closes its inbox sockets at once.
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ChannelSupport } from '../../../shared/channels';
import { SESSION_COOKIE } from '../../../shared/limits';
import {
  agentPreferencesPatch,
  changePasswordBody,
  DEFAULT_AGENT_PREFERENCES,
  newAgentBody,
  signInBody,
  type AgentPreferences,
  type ApiError,
  type SessionView,
} from '../../../shared/protocol';
import { authenticate, changePassword, createFirstAdmin, endSession, HashQueueFullError, resolveSession, startSession } from '../../agents';
import { withProfile } from '../../agents/team';
import { clientAddressOf } from '../../http/clientAddress';
import { jsonBody } from '../../http/validate';
import type { FanOut } from '../../realtime/fanOut';
import type { Storage } from '../../storage';
import { clearSessionCookie, requireAgent, setSessionCookie, type InboxEnv } from '../auth';
import type { SignInThrottle } from '../signInThrottle';

export interface SessionRouteDeps {
  storage: Storage;
  fanOut: FanOut;
  channels: () => ChannelSupport;
  signIns: SignInThrottle;
  /** PARLEY_TRUST_PROXY: whose X-Forwarded-For names the client the throttle counts. */
  trustProxy: number;
  /** PARLEY_PUBLIC_URL is https: the session cookie is Secure even when a proxy forwards plain http. */
  publicUrlIsHttps: boolean;
}

/** 429 with Retry-After, and the wait in the JSON for the sign-in form to show. */
function tooManyAttempts(c: Context, retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  c.header('Retry-After', String(seconds));
  const wait = `${seconds} second${seconds === 1 ? '' : 's'}`;
  const body: ApiError = { error: `Too many sign-in attempts; try again in ${wait}`, retryAfterSeconds: seconds };
  return c.json(body, 429);
}

/** Runs work that hashes a password, or answers 503 with Retry-After when the hash queue is full. */
async function hashOrBusy<T>(c: Context, work: () => Promise<T>): Promise<T | Response> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof HashQueueFullError)) throw err;
    c.header('Retry-After', '1');
    return c.json({ error: err.message, retryAfterSeconds: 1 } satisfies ApiError, 503);
  }
}

export function sessionRoutes({ storage, fanOut, channels, signIns, trustProxy, publicUrlIsHttps }: SessionRouteDeps): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();

  routes.get('/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await resolveSession(storage, token) : null;
    const view: SessionView = {
      agent: session ? await withProfile(storage, session.agent) : null,
      csrfToken: session?.csrfToken ?? null,
      setupRequired: !session && (await storage.agents.count()) === 0,
      channels: channels(),
      preferences: session ? await storage.agents.preferences(session.agent.id) : DEFAULT_AGENT_PREFERENCES,
    };
    return c.json(view);
  });

  routes.post('/session', async (c) => {
    const input = await jsonBody(c, signInBody);
    if (!input.ok) return input.response;
    const attempt = signIns.attempt(clientAddressOf(c, trustProxy), input.value.email);
    if (!attempt.allowed) return tooManyAttempts(c, attempt.retryAfterMs);
    const agent = await hashOrBusy(c, () => authenticate(storage, input.value.email, input.value.password));
    if (agent instanceof Response) {
      attempt.notChecked(); // the password was never checked: the attempt does not count
      return agent;
    }
    if (!agent) return c.json({ error: 'Wrong email or password' } satisfies ApiError, 401);
    attempt.succeeded();
    const session = await startSession(storage, agent.id);
    setSessionCookie(c, session.token, publicUrlIsHttps);
    const preferences = await storage.agents.preferences(agent.id);
    const view = { agent: await withProfile(storage, agent), csrfToken: session.csrfToken, setupRequired: false, channels: channels(), preferences };
    return c.json(view satisfies SessionView);
  });

  /** One-time: creates the first admin while no agent exists, then refuses for ever. */
  routes.post('/setup', async (c) => {
    const input = await jsonBody(c, newAgentBody);
    if (!input.ok) return input.response;
    const alreadySetUp = { error: 'Parley already has an admin; sign in instead' } satisfies ApiError;
    // Checked again, atomically, after the hash (createFirstAdmin); this one only spares the hash.
    if ((await storage.agents.count()) > 0) return c.json(alreadySetUp, 409);
    const agent = await hashOrBusy(c, () => createFirstAdmin(storage, input.value));
    if (agent instanceof Response) return agent;
    if (!agent) return c.json(alreadySetUp, 409);
    const session = await startSession(storage, agent.id);
    setSessionCookie(c, session.token, publicUrlIsHttps);
    const preferences = await storage.agents.preferences(agent.id);
    const view = { agent: await withProfile(storage, agent), csrfToken: session.csrfToken, setupRequired: false, channels: channels(), preferences };
    return c.json(view satisfies SessionView, 201);
  });

  routes.delete('/session', requireAgent(storage), async (c) => {
    await endSession(storage, c.get('sessionToken'));
    fanOut.signOutSession(c.get('sessionId'));
    clearSessionCookie(c, publicUrlIsHttps);
    return c.body(null, 204);
  });

  /** The agent's own password: checked like a sign-in; every other session of theirs ends. */
  routes.put('/session/password', requireAgent(storage), async (c) => {
    const input = await jsonBody(c, changePasswordBody);
    if (!input.ok) return input.response;
    const agent = c.get('agent');
    const sessionId = c.get('sessionId');
    const attempt = signIns.attempt(clientAddressOf(c, trustProxy), agent.email);
    if (!attempt.allowed) return tooManyAttempts(c, attempt.retryAfterMs);
    const outcome = await hashOrBusy(c, () => changePassword(storage, agent.id, { ...input.value, keepSessionId: sessionId }));
    if (outcome instanceof Response) {
      attempt.notChecked();
      return outcome;
    }
    // 403, not 401: the session is fine, and the inbox treats 401 as "signed out".
    if (outcome === 'wrongPassword') return c.json({ error: 'Your current password is wrong' } satisfies ApiError, 403);
    attempt.succeeded();
    if (outcome === 'signedOut') return c.json({ error: 'Sign in first' } satisfies ApiError, 401);
    fanOut.signOutAgent(agent.id, sessionId);
    return c.body(null, 204);
  });

  /** The agent's own choices (notifications, sound, shortcuts): the fields given replace the stored ones. */
  routes.put('/session/preferences', requireAgent(storage), async (c) => {
    const input = await jsonBody(c, agentPreferencesPatch);
    if (!input.ok) return input.response;
    const preferences = await storage.agents.updatePreferences(c.get('agent').id, input.value);
    if (!preferences) return c.json({ error: 'Sign in first' } satisfies ApiError, 401);
    return c.json({ preferences } satisfies { preferences: AgentPreferences });
  });

  return routes;
}
