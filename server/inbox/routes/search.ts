// Search over message text and contacts, for the inbox's search box.
import { Hono } from 'hono';
import { searchQuery } from '../../../shared/protocol';
import type { Conversations } from '../../conversations';
import { queryParams } from '../../http/validate';
import { search } from '../../search';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';

export function searchRoutes(storage: Storage, conversations: Conversations): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  routes.get('/search', async (c) => {
    const query = queryParams(c, searchQuery);
    if (!query.ok) return query.response;
    await storage.search.caughtUp(); // messages from the last few hundred ms are searchable too
    return c.json({ results: await search(storage, query.value.q, query.value.limit, conversations.summary) });
  });
  return routes;
}
