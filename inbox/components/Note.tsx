// A private note in the thread: agents only, in its own colour so no one mistakes it for something
// the visitor saw. Text child, never HTML, like every message.
import type { Note as NoteRecord } from '../../shared/protocol';
import { clockTime, fullTime } from './format';

export function Note({ note }: { note: NoteRecord }) {
  return (
    <div class="note">
      <div class="message-meta">
        <span class="note-author">{`Note by ${note.agentName}`}</span>
        <time dateTime={new Date(note.createdAt).toISOString()} title={fullTime(note.createdAt)}>
          {clockTime(note.createdAt)}
        </time>
        <span class="note-private">Only agents see this</span>
      </div>
      <div class="note-body">{note.body}</div>
    </div>
  );
}
