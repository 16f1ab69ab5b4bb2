// Settings → Agents, for admins: list, add, rename, change a role, reset a password (ends their
// sessions at once), deactivate (likewise), activate. The last active admin is never demoted or
// deactivated: someone must be able to manage the inbox.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { agentChangesBody, agentPasswordBody, newAgentBody, type ApiError } from '../../../shared/protocol';
import { AgentExistsError, createAgent, HashQueueFullError, resetPassword } from '../../agents';
import { idParam, jsonBody } from '../../http/validate';
import type { FanOut } from '../../realtime/fanOut';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';
import { z } from 'zod';

const adminOnly: MiddlewareHandler<InboxEnv> = async (c, next) => {
  if (c.get('agent').role !== 'admin') return c.json({ error: 'Only admins can manage agents' } satisfies ApiError, 403);
  await next();
};

/** Every hashing slot is taken: try again in a second (agents/hashQueue.ts). */
function busy(c: Context, err: Error) {
  c.header('Retry-After', '1');
  return c.json({ error: err.message, retryAfterSeconds: 1 } satisfies ApiError, 503);
}

const newAgentWithRole = newAgentBody.extend({ role: z.enum(['admin', 'agent']).default('agent') });
const noSuchAgent = { error: 'No such agent' } satisfies ApiError;
const lastAdmin = { error: 'This is the last active admin: make another agent an admin first' } satisfies ApiError;

export function agentRoutes(storage: Storage, fanOut: FanOut): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  routes.use('/agents', adminOnly);
  routes.use('/agents/*', adminOnly);

  routes.get('/agents', async (c) => c.json({ agents: await storage.agents.list() }));

  routes.post('/agents', async (c) => {
    const input = await jsonBody(c, newAgentWithRole);
    if (!input.ok) return input.response;
    try {
      const created = await createAgent(storage, input.value);
      return c.json({ agent: await storage.agents.record(created.id) }, 201);
    } catch (err) {
      if (err instanceof AgentExistsError) return c.json({ error: err.message } satisfies ApiError, 409);
      if (err instanceof HashQueueFullError) return busy(c, err);
      throw err;
    }
  });

  routes.patch('/agents/:id', async (c) => {
    const id = idParam(c, 'id');
    if (id === null) return c.json(noSuchAgent, 404);
    const input = await jsonBody(c, agentChangesBody);
    if (!input.ok) return input.response;
    const agent = await storage.agents.update(id, input.value);
    if (agent === 'lastAdmin') return c.json(lastAdmin, 409);
    return agent ? c.json({ agent }) : c.json(noSuchAgent, 404);
  });

  routes.post('/agents/:id/password', async (c) => {
    const id = idParam(c, 'id');
    if (id === null) return c.json(noSuchAgent, 404);
    // Their own: with the current password, and this session kept (PUT /api/session/password).
    if (id === c.get('agent').id) return c.json({ error: 'Change your own password with your current one' } satisfies ApiError, 409);
    const input = await jsonBody(c, agentPasswordBody);
    if (!input.ok) return input.response;
    try {
      if (!(await resetPassword(storage, id, input.value.password))) return c.json(noSuchAgent, 404);
    } catch (err) {
      if (err instanceof HashQueueFullError) return busy(c, err);
      throw err;
    }
    fanOut.signOutAgent(id);
    return c.json({ agent: await storage.agents.record(id) });
  });

  routes.post('/agents/:id/deactivate', async (c) => {
    const id = idParam(c, 'id');
    if (id === c.get('agent').id) return c.json({ error: 'You cannot deactivate yourself' } satisfies ApiError, 409);
    const agent = id === null ? null : await storage.agents.setActive(id, false);
    if (agent === 'lastAdmin') return c.json(lastAdmin, 409);
    if (!agent) return c.json(noSuchAgent, 404);
    fanOut.signOutAgent(agent.id);
    return c.json({ agent });
  });

  routes.post('/agents/:id/activate', async (c) => {
    const id = idParam(c, 'id');
    const agent = id === null ? null : await storage.agents.setActive(id, true);
    return agent && agent !== 'lastAdmin' ? c.json({ agent }) : c.json(noSuchAgent, 404);
  });

  return routes;
}
