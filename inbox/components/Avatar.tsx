// A round badge: a person's picture, else their initials in a colour fixed by an id (rows are easy to tell
// apart, and white initials stay at 4.5:1 on every colour: shared/avatarColours.ts).
import { avatarColour } from '../../shared/avatarColours';
import { initials } from './format';

interface Props {
  title: string;
  /** Picks the colour; the conversation or agent id keeps it stable when the title changes. */
  seed: number;
  size?: 'md' | 'lg';
  /** Shows the green presence dot while true. */
  online?: boolean;
  /** An agent's uploaded picture (decorative: the name is always beside it). */
  src?: string | null;
}

export function Avatar({ title, seed, size = 'md', online = false, src = null }: Props) {
  return (
    <span class={`avatar ${size}`} style={{ background: avatarColour(seed) }}>
      {src ? <img class="avatar-picture" src={src} alt="" /> : <span aria-hidden="true">{initials(title)}</span>}
      {online && <span class="presence-dot" role="img" aria-label="Online" title="Online" />}
    </span>
  );
}
