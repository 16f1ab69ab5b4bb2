// The saved-responses picker over the reply box: narrow by category and by text, move with the arrow
// keys, Enter or a click picks one, Escape closes. The filter box keeps the focus throughout.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SavedResponse } from '../../shared/protocol';
import type { SavedResponseList } from '../api/client';
import { CloseIcon } from './icons';

interface Props {
  /** Null while loading. */
  data: SavedResponseList | null;
  error: string | null;
  onChoose: (response: SavedResponse) => void;
  onClose: () => void;
}

const LIST_ID = 'saved-response-options';
const optionId = (id: number): string => `saved-response-${id}`;

function matches(r: SavedResponse, category: string, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return (
    (category === '' || r.category === category) &&
    (needle === '' || r.title.toLowerCase().includes(needle) || r.body.toLowerCase().includes(needle))
  );
}

export function SavedResponsePicker({ data, error, onChoose, onClose }: Props) {
  const [category, setCategory] = useState('');
  const [filter, setFilter] = useState('');
  const [at, setAt] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const shown = data?.savedResponses.filter((r) => matches(r, category, filter)) ?? [];
  const current = shown[Math.min(at, shown.length - 1)];

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (current) document.getElementById(optionId(current.id))?.scrollIntoView?.({ block: 'nearest' });
  }, [current?.id]);

  const onFilterKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const index = current ? shown.indexOf(current) : 0;
      setAt(Math.max(0, Math.min(shown.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && !e.isComposing) {
      e.preventDefault();
      if (current) onChoose(current);
    }
  };

  return (
    <div
      class="picker"
      role="dialog"
      aria-label="Saved responses"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="picker-head">
        <select
          aria-label="Category"
          value={category}
          onChange={(e) => {
            setCategory(e.currentTarget.value);
            setAt(0);
          }}
        >
          <option value="">All categories</option>
          {data?.categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <input
          ref={input}
          type="text"
          aria-label="Filter"
          placeholder="Filter…"
          autocomplete="off"
          aria-controls={LIST_ID}
          aria-activedescendant={current ? optionId(current.id) : undefined}
          value={filter}
          onInput={(e) => {
            setFilter(e.currentTarget.value);
            setAt(0);
          }}
          onKeyDown={onFilterKey}
        />
        <button type="button" class="icon-button" aria-label="Close saved responses" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      {error && (
        <p class="picker-note error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p class="picker-note">Loading saved responses…</p>}
      {data?.savedResponses.length === 0 && <p class="picker-note">No saved responses yet. Add them in Settings.</p>}
      {data && data.savedResponses.length > 0 && shown.length === 0 && <p class="picker-note">No responses match.</p>}
      {shown.length > 0 && (
        <ul class="picker-list" id={LIST_ID} role="listbox" aria-label="Responses">
          {shown.map((r) => (
            <li
              key={r.id}
              id={optionId(r.id)}
              role="option"
              aria-selected={r === current}
              class={`picker-option${r === current ? ' current' : ''}`}
              // Keep the focus (and the keyboard) in the filter box.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onChoose(r)}
            >
              <span class="picker-option-top">
                <span class="picker-title">{r.title}</span>
                <span class="chip">{r.category}</span>
              </span>
              <span class="picker-preview">{r.body}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
