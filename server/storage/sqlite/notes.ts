// The NoteStore (../notes.ts) in SQLite: the `notes` table, with each author's name joined in.
// Only agents' routes read it; no visitor, channel, email or search path does.
import { eq } from 'drizzle-orm';
import type { Note } from '../../../shared/protocol';
import { preparedOnce, schema, type Db } from '../../db';
import { commitDurably } from '../../db/groupCommit';
import { noteRow, parseMentions, type NewNote, type NoteStore } from '../notes';

const { agents, notes } = schema;

type NoteRow = Omit<Note, 'mentions'> & { mentions: string };

// Read on every load of a conversation (beside its cached thread): a raw statement prepared once per
// database, not a query drizzle builds again on each call.
const notesOf = preparedOnce((db: Db) =>
  db.$client.prepare<[number], NoteRow>(
    `select n.id, n.conversation_id as conversationId, n.agent_id as agentId, a.name as agentName, n.body,
       n.mentions, n.created_at as createdAt
     from notes n join agents a on a.id = n.agent_id where n.conversation_id = ? order by n.id`,
  ),
);

export function notesOfConversation(db: Db, conversationId: number): Note[] {
  return notesOf(db)
    .all(conversationId)
    .map((row) => ({ ...row, mentions: parseMentions(row.mentions) }));
}

export function insertNote(db: Db, note: NewNote): Note {
  const row = db
    .insert(notes)
    .values(noteRow(note))
    .returning()
    .get();
  const author = db.select({ name: agents.name }).from(agents).where(eq(agents.id, row.agentId)).get();
  return { ...row, agentName: author?.name ?? '', mentions: note.mentions };
}

export function sqliteNoteStore(db: Db): NoteStore {
  return {
    // Committed, then fsynced off the event loop (group commit's durability for a lone write).
    add: (note) => commitDurably(db, async () => insertNote(db, note)),
    ofConversation: async (conversationId) => notesOfConversation(db, conversationId),
  };
}
