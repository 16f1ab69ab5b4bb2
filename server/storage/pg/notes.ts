// The NoteStore (../notes.ts) in PostgreSQL: the `notes` table, with each author's name joined in.
// A note is durable once its insert commits (PostgreSQL's own commit waits for the WAL flush).
import { asc, eq } from 'drizzle-orm';
import type { Note } from '../../../shared/protocol';
import type { PgDb } from '../../db/pg/open';
import { agents, notes } from '../../db/pg/schema';
import { noteRow, parseMentions, type NoteStore } from '../notes';

export function pgNoteStore(db: PgDb): NoteStore {
  return {
    async add(note) {
      const [row] = await db
        .insert(notes)
        .values(noteRow(note))
        .returning();
      const [author] = await db.select({ name: agents.name }).from(agents).where(eq(agents.id, row!.agentId));
      return { ...row!, agentName: author?.name ?? '', mentions: note.mentions };
    },
    async ofConversation(conversationId): Promise<Note[]> {
      const rows = await db
        .select({
          id: notes.id,
          conversationId: notes.conversationId,
          agentId: notes.agentId,
          agentName: agents.name,
          body: notes.body,
          mentions: notes.mentions,
          createdAt: notes.createdAt,
        })
        .from(notes)
        .innerJoin(agents, eq(agents.id, notes.agentId))
        .where(eq(notes.conversationId, conversationId))
        .orderBy(asc(notes.id));
      return rows.map((row) => ({ ...row, mentions: parseMentions(row.mentions) }));
    },
  };
}
