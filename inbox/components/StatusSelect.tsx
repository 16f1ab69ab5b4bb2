// The top bar's "Status": Available or Away. Only Available agents with an inbox open count as "agent
// online" for visitors (the widget asks for an email when none does); the choice is kept across sign-ins.
import { useEffect, useState } from 'preact/hooks';
import type { Availability } from '../../shared/protocol';
import { api, describeError } from '../api/client';

const SELECT_ID = 'agent-status';

interface Props {
  /** The choice as the session started with it. */
  initial: Availability;
  /** Whether the team news counts this agent available (their inbox is open here): follows another tab's change. */
  live?: boolean;
}

export function StatusSelect({ initial, live }: Props) {
  const [value, setValue] = useState<Availability>(initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (live !== undefined) setValue(live ? 'available' : 'away');
  }, [live]);

  const change = async (next: Availability) => {
    const before = value;
    setValue(next);
    setError(null);
    try {
      await api.setAvailability(next);
    } catch (err) {
      setValue(before);
      setError(`Could not change your status: ${describeError(err)}`);
    }
  };

  return (
    <span class="status-select">
      <span class={`status-dot ${value}`} aria-hidden="true" />
      <label class="visually-hidden" for={SELECT_ID}>
        Status
      </label>
      <select id={SELECT_ID} value={value} onChange={(e) => void change(e.currentTarget.value === 'away' ? 'away' : 'available')}>
        <option value="available">Available</option>
        <option value="away">Away</option>
      </select>
      {error && (
        <span class="header-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
