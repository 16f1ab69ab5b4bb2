// Private notes agents leave on a conversation, as the notes service uses them. A store of its own,
// apart from messages: nothing that reaches a visitor or a channel reads it. sqlite/notes.ts implements it.
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
  /** Stores a note; its author's name comes with it. */
  insert(note: NewNote): Note;
  /** A conversation's notes, oldest first. */
  ofConversation(conversationId: number): Note[];
}
