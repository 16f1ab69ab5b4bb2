// GET /api/team: every signed-in agent's view of their colleagues (the Assignee select, mentions, faces).
import { Hono } from 'hono';
import type { TeamNews } from '../../agents/team';
import type { InboxEnv } from '../auth';

export function teamRoutes(team: TeamNews): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  routes.get('/team', async (c) => c.json({ team: await team.members() }));
  return routes;
}
