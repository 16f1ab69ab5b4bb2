// Private notes agents leave on a conversation, as the notes service uses them. A store of its own,
// apart from messages: nothing that reaches a visitor or a channel reads it. sqlite/notes.ts and
// pg/notes.ts implement it.
import type { Note } from '../../shared/protocol';

export interface NewNote {
  conversationId: number;
  agentId: number;
  /** Already trimmed and bounded. */
  body: string;
  /** Agent ids the body's `@name`s named. */
  mentions: number[];
  now?: number;
}

export interface NoteStore {
  /** Stores a note, resolving once it is on disk, with its author's name. */
  add(note: NewNote): Promise<Note>;
  /** A conversation's notes, oldest first. */
  ofConversation(conversationId: number): Promise<Note[]>;
}

/** Mentions are written by us as a JSON array of ids; anything else reads as none. */
export function parseMentions(json: string): number[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((id): id is number => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}

/** The row a new note is stored as, on any engine (mentions as a JSON array of ids). */
export const noteRow = (note: NewNote) => ({
  conversationId: note.conversationId,
  agentId: note.agentId,
  body: note.body,
  mentions: JSON.stringify(note.mentions),
  createdAt: note.now ?? Date.now(),
});
