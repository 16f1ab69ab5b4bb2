// A private note in the thread: agents only, in its own colour so no one mistakes it for something
// the visitor saw. Text children, never HTML, like every message; the @names it notified stand out,
// and addresses are links.
import type { ComponentChildren } from 'preact';
import { findMentions } from '../../shared/mentions';
import type { Note as NoteRecord, TeamMember } from '../../shared/protocol';
import { useTeam } from '../state/team';
import { MessageText } from './MessageText';
import { clockTime, fullTime } from './format';

/** The body with each mention of an agent the note named in bold, and its addresses as links. */
function withMentions(body: string, named: TeamMember[]): ComponentChildren[] {
  const parts: ComponentChildren[] = [];
  let from = 0;
  for (const span of findMentions(body, named)) {
    if (span.start > from) parts.push(<MessageText text={body.slice(from, span.start)} />);
    parts.push(<strong class="mention">{body.slice(span.start, span.end)}</strong>);
    from = span.end;
  }
  if (from < body.length) parts.push(<MessageText text={body.slice(from)} />);
  return parts;
}

export function Note({ note }: { note: NoteRecord }) {
  // Only the agents the server found in it (and told): a name typed after "@" that matched nobody stays plain.
  const named = (useTeam() ?? []).filter((m) => note.mentions.includes(m.id));
  return (
    <div class="note">
      <div class="message-meta">
        <span class="note-author">{`Note by ${note.agentName}`}</span>
        <time dateTime={new Date(note.createdAt).toISOString()} title={fullTime(note.createdAt)}>
          {clockTime(note.createdAt)}
        </time>
        <span class="note-private">Only agents see this</span>
      </div>
      <div class="note-body">{named.length > 0 ? withMentions(note.body, named) : <MessageText text={note.body} />}</div>
    </div>
  );
}
