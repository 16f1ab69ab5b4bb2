// GET /api/team: every signed-in agent's view of their colleagues (the Assignee select, mentions, faces).
import { Hono } from 'hono';
import { currentTeam } from '../../agents/team';
import type { FanOut } from '../../realtime/fanOut';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';

export function teamRoutes(storage: Storage, fanOut: FanOut): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  routes.get('/team', (c) => c.json({ team: currentTeam(storage, fanOut) }));
  return routes;
}
