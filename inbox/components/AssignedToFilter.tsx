// "Assigned to" above the list: anyone's conversations, the agent's own, or nobody's yet. Combined
// with the status tabs; a native select, so keyboard and screen readers get it for free.
import type { AssignedFilter } from '../../shared/protocol';

const CHOICES: { value: AssignedFilter; label: string }[] = [
  { value: 'anyone', label: 'Anyone' },
  { value: 'me', label: 'Me' },
  { value: 'unassigned', label: 'Unassigned' },
];

export function AssignedToFilter({ value, onChange }: { value: AssignedFilter; onChange: (value: AssignedFilter) => void }) {
  return (
    <label class="assigned-filter">
      <span>Assigned to</span>
      <select
        value={value}
        onChange={(e) => {
          const chosen = CHOICES.find((c) => c.value === e.currentTarget.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
