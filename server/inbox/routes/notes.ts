// Private notes on a conversation, for agents only (the notes service keeps them off every channel).
import { Hono } from 'hono';
import { noteBody, type ApiError } from '../../../shared/protocol';
import { ConversationNotFoundError } from '../../conversations';
import { idParam, jsonBody } from '../../http/validate';
import type { Notes } from '../../notes';
import type { InboxEnv } from '../auth';

export function noteRoutes(notes: Notes): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  const noSuchConversation = { error: 'No such conversation' } satisfies ApiError;

  routes.post('/conversations/:id/notes', async (c) => {
    const id = idParam(c, 'id');
    if (id === null) return c.json(noSuchConversation, 404);
    const input = await jsonBody(c, noteBody);
    if (!input.ok) return input.response;
    try {
      return c.json({ note: await notes.add(id, c.get('agent'), input.value.body) }, 201);
    } catch (err) {
      if (err instanceof ConversationNotFoundError) return c.json(noSuchConversation, 404);
      throw err;
    }
  });

  return routes;
}
