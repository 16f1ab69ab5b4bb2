// "Assignee" in the conversation header: who owns it, from the team, or "Unassigned". The change is
// the server's answer, not a guess: while it is on its way the select shows the choice and waits.
import { useState } from 'preact/hooks';
import type { ConversationSummary, TeamMember } from '../../shared/protocol';
import { describeError } from '../api/client';

interface Props {
  conversation: ConversationSummary;
  team: TeamMember[];
  /** Resolves once the server has stored it; rejects with its reason. */
  onAssign: (agentId: number | null) => Promise<void>;
}

const UNASSIGNED = '';

export function AssigneeSelect({ conversation, team, onAssign }: Props) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = conversation.assigneeId === null ? UNASSIGNED : String(conversation.assigneeId);
  // A deactivated owner is no longer in the team, but the select must still say who it is.
  const ownerMissing = conversation.assigneeId !== null && !team.some((m) => m.id === conversation.assigneeId);

  const choose = async (value: string) => {
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
        value={pending ?? current}
        // Never disabled while saving: a disabled select drops the keyboard focus to the page.
        aria-busy={pending !== null}
        onChange={(e) => void choose(e.currentTarget.value)}
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
