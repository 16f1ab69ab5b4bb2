// "Open", "Complete", "All" above the list: which conversations it shows. A tab list, so the arrow
// keys move between them and only the chosen one is in the Tab order.
import type { StatusFilter } from '../api/client';

const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'complete', label: 'Complete' },
  { value: 'all', label: 'All' },
];

/** The list the tabs control. */
export const FILTER_PANEL_ID = 'conversation-panel';
export const filterTabId = (filter: StatusFilter): string => `filter-${filter}`;

export function FilterTabs({ value, onChange }: { value: StatusFilter; onChange: (filter: StatusFilter) => void }) {
  const step = (from: number, by: number) => {
    const next = FILTERS[(from + by + FILTERS.length) % FILTERS.length];
    if (!next) return;
    onChange(next.value);
    document.getElementById(filterTabId(next.value))?.focus();
  };

  return (
    <div class="filter-tabs" role="tablist" aria-label="Conversation status">
      {FILTERS.map((f, i) => (
        <button
          key={f.value}
          type="button"
          role="tab"
          id={filterTabId(f.value)}
          class="filter-tab"
          aria-selected={f.value === value}
          aria-controls={FILTER_PANEL_ID}
          tabIndex={f.value === value ? 0 : -1}
          onClick={() => onChange(f.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
              e.preventDefault();
              step(i, e.key === 'ArrowRight' ? 1 : -1);
            }
          }}
        >
          {f.label}
        </button>
      ))}
    </div>
  );
}
