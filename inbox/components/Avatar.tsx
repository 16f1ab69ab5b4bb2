// A round badge with a contact's initials, its colour fixed per conversation so rows are easy to tell apart.
import { initials } from './format';

// Each at least 4.5:1 under the white initials.
const COLOURS = ['#4f46e5', '#0e7490', '#047857', '#b45309', '#be185d', '#7c3aed', '#2563eb', '#dc2626'];

interface Props {
  title: string;
  /** Picks the colour; the conversation id keeps it stable when the title changes. */
  seed: number;
  size?: 'md' | 'lg';
  /** Shows the green presence dot while true. */
  online?: boolean;
}

export function Avatar({ title, seed, size = 'md', online = false }: Props) {
  return (
    <span class={`avatar ${size}`} style={{ background: COLOURS[Math.abs(seed) % COLOURS.length] }}>
      <span aria-hidden="true">{initials(title)}</span>
      {online && <span class="presence-dot" role="img" aria-label="Online" title="Online" />}
    </span>
  );
}
