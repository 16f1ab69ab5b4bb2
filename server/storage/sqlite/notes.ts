// The NoteStore (../notes.ts) in SQLite: the `notes` table, with each author's name joined in.
// Only agents' routes read it; no visitor, channel, email or search path does.
import { asc, eq } from 'drizzle-orm';
import type { Note } from '../../../shared/protocol';
import { schema, type Db } from '../../db';
import type { NewNote, NoteStore } from '../notes';

const { agents, notes } = schema;

/** Mentions are written by us as a JSON array of ids; anything else reads as none. */
function parseMentions(json: string): number[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((id): id is number => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}

const columns = {
  id: notes.id,
  conversationId: notes.conversationId,
  agentId: notes.agentId,
  agentName: agents.name,
  body: notes.body,
  mentions: notes.mentions,
  createdAt: notes.createdAt,
};

export function notesOfConversation(db: Db, conversationId: number): Note[] {
  return db
    .select(columns)
    .from(notes)
    .innerJoin(agents, eq(agents.id, notes.agentId))
    .where(eq(notes.conversationId, conversationId))
    .orderBy(asc(notes.id))
    .all()
    .map((row) => ({ ...row, mentions: parseMentions(row.mentions) }));
}

export function insertNote(db: Db, note: NewNote): Note {
  const row = db
    .insert(notes)
    .values({
      conversationId: note.conversationId,
      agentId: note.agentId,
      body: note.body,
      mentions: JSON.stringify(note.mentions),
      createdAt: note.now ?? Date.now(),
    })
    .returning()
    .get();
  const author = db.select({ name: agents.name }).from(agents).where(eq(agents.id, row.agentId)).get();
  return { ...row, agentName: author?.name ?? '', mentions: note.mentions };
}

export function sqliteNoteStore(db: Db): NoteStore {
  return {
    insert: (note) => insertNote(db, note),
    ofConversation: (conversationId) => notesOfConversation(db, conversationId),
  };
}
