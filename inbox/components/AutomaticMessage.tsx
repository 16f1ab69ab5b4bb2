// An automatic email (an out-of-office, list mail) as one muted line: "Automatic reply from …" and
// its time, the text folded behind a disclosure the keyboard opens. Never shown as a bubble of the
// person's own words, and never told apart by colour alone.
import type { ChatMessage } from '../../shared/protocol';
import { clockTime, fullTime } from './format';

export function AutomaticMessage({ m, sender }: { m: ChatMessage; sender: string }) {
  return (
    <div class="message automatic">
      <details class="automatic-line">
        <summary>
          <span class="automatic-label">{`Automatic reply from ${sender}`}</span>
          <time dateTime={new Date(m.createdAt).toISOString()} title={fullTime(m.createdAt)}>
            {clockTime(m.createdAt)}
          </time>
        </summary>
        {/* Text child, never HTML, like every message. */}
        <div class="automatic-body">{m.body}</div>
      </details>
    </div>
  );
}
