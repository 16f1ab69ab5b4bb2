// Private notes: agents writing to each other about a conversation. Stored apart from messages
// (storage/notes.ts) and fanned out to agents only: a note must never reach a visitor, a channel, an
// email, a transcript or search. Mentions are worked out here; notifying the agents named is the inbox's.
import type { Note } from '../../shared/protocol';
import { ConversationNotFoundError } from '../conversations';
import type { FanOut } from '../realtime/fanOut';
import type { Storage } from '../storage';
import { mentionedAgents } from '../../shared/mentions';

export { mentionedAgents };

export type Notes = ReturnType<typeof createNotes>;

export function createNotes(storage: Storage, fanOut: FanOut) {
  return {
    /** Stores a note (its body already trimmed and bounded), on disk before it is shown to every agent. */
    async add(conversationId: number, agent: { id: number }, body: string): Promise<Note> {
      if (!await storage.conversations.conversationById(conversationId)) {
        throw new ConversationNotFoundError(`No conversation ${conversationId}`);
      }
      const mentions = mentionedAgents(body, await storage.agents.profiles());
      const note = await storage.notes.add({ conversationId, agentId: agent.id, body, mentions });
      fanOut.toAgents({ type: 'note', note });
      // Answered once the other processes will hear of it: a mention is not lost to a crash after the 201.
      await fanOut.sent();
      return note;
    },
  };
}
