// Conversations as agents work them: list, open, read, complete, reopen, assign, reply. Never delete.
import { Hono, type Context } from 'hono';
import { assigneeBody, conversationListQuery, replyBody, transcriptBody, type ApiError } from '../../../shared/protocol';
import { AssigneeNotFoundError, ConversationNotFoundError, ReplyRefusedError, ReplyTagError, type AgentReply, type Conversations } from '../../conversations';
import { attachmentEntry } from '../../attachments';
import { idParam, jsonBody, queryParams } from '../../http/validate';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';
import type { Viewers } from '../viewers';

const DEFAULT_TRANSCRIPT_NOTE = 'Here is a copy of our chat, for your records.';

const notFound = (c: Context) => c.json({ error: 'No such conversation' } satisfies ApiError, 404);

export function conversationRoutes(conversations: Conversations, viewers: Viewers, storage: Storage): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();

  /** Runs a state change on `:id`, answering 404 for an unknown or malformed id. */
  const withConversation = async (c: Context<InboxEnv>, change: (id: number) => Response | Promise<Response>) => {
    const id = idParam(c, 'id');
    if (id === null) return notFound(c);
    try {
      return await change(id);
    } catch (err) {
      if (err instanceof ConversationNotFoundError) return notFound(c);
      throw err;
    }
  };

  routes.get('/conversations', async (c) => {
    const query = queryParams(c, conversationListQuery);
    if (!query.ok) return query.response;
    return c.json(await conversations.list(query.value, c.get('agent').id));
  });

  routes.get('/conversations/:id', async (c) =>
    withConversation(c, async (id) => {
      // A ConversationDetail, serialised by the store (see conversations.detailJson).
      const detail = await conversations.detailJson(id);
      if (!detail) return notFound(c);
      return c.body(detail, 200, { 'content-type': 'application/json; charset=UTF-8' });
    }),
  );

  routes.post('/conversations/:id/read', async (c) =>
    withConversation(c, async (id) => c.json({ conversation: await conversations.markRead(id) })),
  );
  routes.post('/conversations/:id/complete', async (c) =>
    withConversation(c, async (id) => c.json({ conversation: await conversations.setStatus(id, 'complete') })),
  );
  routes.post('/conversations/:id/reopen', async (c) =>
    withConversation(c, async (id) => c.json({ conversation: await conversations.setStatus(id, 'open') })),
  );

  routes.put('/conversations/:id/assignee', async (c) =>
    withConversation(c, async (id) => {
      const input = await jsonBody(c, assigneeBody);
      if (!input.ok) return input.response;
      try {
        return c.json({ conversation: await conversations.assign(id, input.value.agentId) });
      } catch (err) {
        if (err instanceof AssigneeNotFoundError) return c.json({ error: err.message } satisfies ApiError, 400);
        if (err instanceof ConversationNotFoundError) return notFound(c);
        throw err;
      }
    }),
  );

  // Conversations are never deleted: the record of what was said stays.
  routes.delete('/conversations/:id', async (c) =>
    c.json({ error: 'Conversations cannot be deleted' } satisfies ApiError, 405, { Allow: 'GET' }),
  );

  /** Stores an agent reply, answering 400 for bad tags and 409 for a channel that can't take it now. */
  const reply = async (c: Context<InboxEnv>, id: number, input: Omit<AgentReply, 'conversationId' | 'agent'>) => {
    try {
      const message = await conversations.storeAgentReply({ ...input, conversationId: id, agent: c.get('agent') });
      viewers.replied(c.get('agent').id, id); // their "typing…" ends with the reply itself
      return c.json({ message }, 201);
    } catch (err) {
      if (err instanceof ReplyTagError) return c.json({ error: err.message } satisfies ApiError, 400);
      if (err instanceof ReplyRefusedError) return c.json({ error: err.message } satisfies ApiError, 409);
      if (err instanceof ConversationNotFoundError) return notFound(c);
      throw err;
    }
  };

  routes.post('/conversations/:id/messages', async (c) =>
    withConversation(c, async (id) => {
      const input = await jsonBody(c, replyBody);
      if (!input.ok) return input.response;
      const { attachmentIds, ...rest } = input.value;
      if (!attachmentIds?.length) return reply(c, id, rest);
      // An agent's own uploads, each sent with one reply of theirs.
      const rows = await Promise.all(attachmentIds.map((fileId) => storage.attachments.byId(fileId)));
      // Linked already is fine only to this very reply (a retry after a lost answer: stored once).
      const takenElsewhere = async (messageId: number) => {
        const message = await storage.conversations.messageById(messageId);
        return !rest.clientId || message?.clientId !== rest.clientId || message.conversationId !== id;
      };
      let gone = false;
      for (const row of rows) gone ||= !row || (row.messageId !== null && (await takenElsewhere(row.messageId)));
      if (gone) {
        return c.json({ error: 'A file of this reply was already sent or is gone: attach it again' } satisfies ApiError, 409);
      }
      return reply(c, id, { ...rest, files: { attachments: rows.map((row) => attachmentEntry(row!)), ids: attachmentIds } });
    }),
  );

  /** "Send chat thread": the transcript so far, by email, with the agent's note (if any) on top. */
  routes.post('/conversations/:id/transcript', async (c) =>
    withConversation(c, async (id) => {
      const input = await jsonBody(c, transcriptBody);
      if (!input.ok) return input.response;
      const { note, clientId } = input.value;
      return reply(c, id, { body: note || DEFAULT_TRANSCRIPT_NOTE, clientId, channel: 'email', transcript: true });
    }),
  );

  return routes;
}
