// GET /api/attachments/:id: a kept file, for signed-in agents only (the guard is in api.ts), served
// as serveKeptFile serves every kept file.
import { Hono } from 'hono';
import { serveKeptFile, type Attachments } from '../../attachments';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';

export function attachmentRoutes(storage: Storage, attachments: Attachments): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  routes.get('/attachments/:id{[0-9]{1,15}}', async (c) => {
    const row = await storage.attachments.byId(Number(c.req.param('id')));
    if (!row || !(await attachments.files.has(row.sha256))) return c.json({ error: 'No such attachment' }, 404);
    return serveKeptFile(c, attachments.files, row);
  });
  return routes;
}
