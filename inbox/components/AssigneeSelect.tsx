// "Assignee" in the conversation header: who owns it, from the team, or "Unassigned". The change is
// the server's answer, not a guess: while it is on its way the select shows the choice and waits.
// A closed select changes with every arrow key, so a keyboard choice is only sent once the agent stops
// (Enter, leaving the select, or a pause); a pick with the mouse is sent at once.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConversationSummary, TeamMember } from '../../shared/protocol';
import { describeError } from '../api/client';

interface Props {
  conversation: ConversationSummary;
  team: TeamMember[];
  /** Resolves once the server has stored it; rejects with its reason. */
  onAssign: (agentId: number | null) => Promise<void>;
}

const UNASSIGNED = '';
/** How long an arrow-key choice waits for the next step before it is sent. */
export const KEY_STEP_SETTLE_MS = 1_000;
/** Keys that step a closed select's value (each fires a change event). */
const STEP_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

export function AssigneeSelect({ conversation, team, onAssign }: Props) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = conversation.assigneeId === null ? UNASSIGNED : String(conversation.assigneeId);
  // A deactivated owner is no longer in the team, but the select must still say who it is.
  const ownerMissing = conversation.assigneeId !== null && !team.some((m) => m.id === conversation.assigneeId);

  // The value shown while the agent is still stepping through the options with the keyboard.
  const [stepped, setStepped] = useState<string | null>(null);
  const stepKeyDown = useRef(false);
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopSettling = () => {
    if (settle.current !== null) clearTimeout(settle.current);
    settle.current = null;
  };
  useEffect(() => stopSettling, []);
  // Another conversation opened mid-step: the steps were for the one before.
  useEffect(() => {
    stopSettling();
    setStepped(null);
  }, [conversation.id]);

  const choose = async (value: string) => {
    stopSettling();
    setStepped(null);
    if (value === current) return;
    setPending(value);
    setError(null);
    try {
      await onAssign(value === UNASSIGNED ? null : Number(value));
    } catch (err) {
      setError(`Could not assign: ${describeError(err)}`);
    } finally {
      setPending(null);
    }
  };

  return (
    <span class="assignee">
      <select
        class="assignee-select"
        aria-label="Assignee"
        aria-describedby={error ? `assignee-error-${conversation.id}` : undefined}
        value={stepped ?? pending ?? current}
        // Never disabled while saving: a disabled select drops the keyboard focus to the page.
        aria-busy={pending !== null}
        onKeyDown={(e) => {
          stepKeyDown.current = STEP_KEYS.has(e.key);
          if (e.key === 'Enter' && stepped !== null) {
            e.preventDefault();
            void choose(stepped);
          }
        }}
        onKeyUp={() => (stepKeyDown.current = false)}
        onBlur={() => {
          if (stepped !== null) void choose(stepped);
        }}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (!stepKeyDown.current) return void choose(value);
          setStepped(value);
          stopSettling();
          settle.current = setTimeout(() => void choose(value), KEY_STEP_SETTLE_MS);
        }}
      >
        <option value={UNASSIGNED}>Unassigned</option>
        {ownerMissing && <option value={current}>{conversation.assigneeName ?? 'Former agent'}</option>}
        {team.map((m) => (
          <option key={m.id} value={String(m.id)}>
            {m.name}
          </option>
        ))}
      </select>
      {error && (
        <span class="assignee-error" id={`assignee-error-${conversation.id}`} role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
