// Keys that walk the conversation list, only while the focus is in the list's column (WCAG 2.1.4:
// a single-letter shortcut must not fire while the agent is elsewhere, e.g. using speech input):
// j / ArrowDown and k / ArrowUp move the highlighted row, Enter opens it. Typing in the search box is
// left alone.
import { useEffect, useRef, useState } from 'preact/hooks';

interface Options {
  /** The rows shown, top to bottom. */
  ids: number[];
  selectedId: number | null;
  onOpen: (id: number) => void;
}

const TEXT_ENTRY = 'input, textarea, select, [contenteditable], [role="dialog"]';

/** Where keys belong to something else: typing, or a control of its own (Enter on a button clicks it). */
function ownedElsewhere(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest(TEXT_ENTRY)) return true;
  const control = key === 'Enter' ? target.closest('button, a') : null;
  return control !== null && !control.classList.contains('highlighted');
}

/** The row a key was pressed on: rows carry `data-conversation-id`. */
function rowOf(target: EventTarget | null): number | null {
  const row = target instanceof Element ? target.closest('[data-conversation-id]') : null;
  return row ? Number(row.getAttribute('data-conversation-id')) : null;
}

/** The highlighted row, and the keydown handler for the element that holds the list. */
export function useListKeys({ ids, selectedId, onOpen }: Options) {
  const [highlighted, setHighlighted] = useState<number | null>(null);
  const latest = useRef({ ids, selectedId, highlighted });
  latest.current = { ids, selectedId, highlighted };

  // Opening another row (by click or Enter) restarts the walk from the open one.
  useEffect(() => setHighlighted(null), [selectedId]);

  const onKeyDown = (e: KeyboardEvent) => {
    const { ids, selectedId, highlighted } = latest.current;
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || ids.length === 0) return;
    if (ownedElsewhere(e.target, e.key)) return;
    // The walk goes on from the focused row (reached with Tab, say), else the highlighted or open one.
    const at = ids.indexOf(rowOf(e.target) ?? highlighted ?? selectedId ?? -1);
    if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      setHighlighted(ids[at < 0 ? 0 : Math.min(at + 1, ids.length - 1)] ?? null);
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      setHighlighted(ids[Math.max(at - 1, 0)] ?? null);
    } else if (e.key === 'Enter' && highlighted !== null && ids.includes(highlighted)) {
      e.preventDefault();
      onOpen(highlighted);
    }
  };

  return { highlighted, onKeyDown };
}
