// Settings → Outbox: every email Parley sent, or would have sent without an email provider.
import { Hono } from 'hono';
import { z } from 'zod';
import type { EmailChannel } from '../../channels/email';
import { queryParams } from '../../http/validate';
import type { InboxEnv } from '../auth';

const outboxQuery = z.object({
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export function outboxRoutes(email: EmailChannel): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  routes.get('/outbox', async (c) => {
    const query = queryParams(c, outboxQuery);
    if (!query.ok) return query.response;
    return c.json(await email.outbox(query.value));
  });
  return routes;
}
