// The top bar's "Status": Available or Away. Only Available agents with an inbox open count as "agent
// online" for visitors (the widget asks for an email when none does); the choice is kept across sign-ins.
import { useState } from 'preact/hooks';
import type { Availability } from '../../shared/protocol';
import { api, describeError } from '../api/client';

const SELECT_ID = 'agent-status';

export function StatusSelect({ initial }: { initial: Availability }) {
  const [value, setValue] = useState<Availability>(initial);
  const [error, setError] = useState<string | null>(null);

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
