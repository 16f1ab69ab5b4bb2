// Settings → Agents, for admins: list, add, deactivate (ends their sessions at once), activate.
import { Hono, type MiddlewareHandler } from 'hono';
import { newAgentBody, type ApiError } from '../../../shared/protocol';
import { AgentExistsError, createAgent, HashQueueFullError } from '../../agents';
import { idParam, jsonBody } from '../../http/validate';
import type { FanOut } from '../../realtime/fanOut';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';
import { z } from 'zod';

const adminOnly: MiddlewareHandler<InboxEnv> = async (c, next) => {
  if (c.get('agent').role !== 'admin') return c.json({ error: 'Only admins can manage agents' } satisfies ApiError, 403);
  await next();
};

const newAgentWithRole = newAgentBody.extend({ role: z.enum(['admin', 'agent']).default('agent') });
const noSuchAgent = { error: 'No such agent' } satisfies ApiError;

export function agentRoutes(storage: Storage, fanOut: FanOut): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  routes.use('/agents', adminOnly);
  routes.use('/agents/*', adminOnly);

  routes.get('/agents', (c) => c.json({ agents: storage.agents.list() }));

  routes.post('/agents', async (c) => {
    const input = await jsonBody(c, newAgentWithRole);
    if (!input.ok) return input.response;
    try {
      const created = await createAgent(storage, input.value);
      return c.json({ agent: storage.agents.record(created.id) }, 201);
    } catch (err) {
      if (err instanceof AgentExistsError) return c.json({ error: err.message } satisfies ApiError, 409);
      if (err instanceof HashQueueFullError) {
        c.header('Retry-After', '1');
        return c.json({ error: err.message, retryAfterSeconds: 1 } satisfies ApiError, 503);
      }
      throw err;
    }
  });

  routes.post('/agents/:id/deactivate', (c) => {
    const id = idParam(c, 'id');
    if (id === c.get('agent').id) return c.json({ error: 'You cannot deactivate yourself' } satisfies ApiError, 409);
    const agent = id === null ? null : storage.agents.setActive(id, false);
    if (!agent) return c.json(noSuchAgent, 404);
    fanOut.signOutAgent(agent.id);
    return c.json({ agent });
  });

  routes.post('/agents/:id/activate', (c) => {
    const id = idParam(c, 'id');
    const agent = id === null ? null : storage.agents.setActive(id, true);
    if (!agent) return c.json(noSuchAgent, 404);
    return c.json({ agent });
  });

  return routes;
}
