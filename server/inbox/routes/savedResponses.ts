// Saved responses, shared by all agents: list (with categories), create, edit, delete.
import { Hono } from 'hono';
import { savedResponseBody, savedResponsePatch, type ApiError } from '../../../shared/protocol';
import { idParam, jsonBody } from '../../http/validate';
import { listSavedResponses } from '../../savedResponses';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';

const missing = { error: 'No such saved response' } satisfies ApiError;

export function savedResponseRoutes(storage: Storage): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();

  routes.get('/saved-responses', async (c) => c.json(await listSavedResponses(storage)));

  routes.post('/saved-responses', async (c) => {
    const input = await jsonBody(c, savedResponseBody);
    if (!input.ok) return input.response;
    return c.json({ savedResponse: await storage.savedResponses.create(input.value, c.get('agent').id) }, 201);
  });

  routes.patch('/saved-responses/:id', async (c) => {
    const id = idParam(c, 'id');
    if (id === null) return c.json(missing, 404);
    const input = await jsonBody(c, savedResponsePatch);
    if (!input.ok) return input.response;
    const savedResponse = await storage.savedResponses.update(id, input.value);
    return savedResponse ? c.json({ savedResponse }) : c.json(missing, 404);
  });

  routes.delete('/saved-responses/:id', async (c) => {
    const id = idParam(c, 'id');
    return id !== null && (await storage.savedResponses.delete(id)) ? c.body(null, 204) : c.json(missing, 404);
  });

  return routes;
}
