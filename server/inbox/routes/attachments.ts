// GET /api/attachments/:id: a kept file, for signed-in agents only (the guard is in api.ts). Served
// so that a stranger's file can never run in our origin: a Content-Type from our list, nosniff, a
// sandboxing CSP, and a download (attachment) unless it is an image type browsers only display.
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { contentDisposition, servedType, type Attachments } from '../../attachments';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';

export function attachmentRoutes(storage: Storage, attachments: Attachments): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  routes.get('/attachments/:id{[0-9]{1,15}}', async (c) => {
    const row = await storage.attachments.byId(Number(c.req.param('id')));
    if (!row || !(await attachments.files.has(row.sha256))) return c.json({ error: 'No such attachment' }, 404);
    const type = servedType(row.mimeType);
    c.header('Content-Type', type);
    c.header('Content-Length', String(row.byteLength));
    c.header('Content-Disposition', contentDisposition(row.name, type));
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', "sandbox; default-src 'none'");
    // A kept file never changes under its id; only this agent's browser may keep it.
    c.header('Cache-Control', 'private, max-age=86400, immutable');
    return c.body(Readable.toWeb(attachments.files.read(row.sha256)) as ReadableStream<Uint8Array>);
  });
  return routes;
}
