// Keyboard moves through the list while no text field has the focus: j / ArrowDown and k / ArrowUp
// move the highlighted row, Enter opens it. Typing in the reply box or a search field is left alone.
import { useEffect, useRef, useState } from 'preact/hooks';

interface Options {
  /** The rows shown, top to bottom. */
  ids: number[];
  selectedId: number | null;
  onOpen: (id: number) => void;
  /** Off while another view (Settings) replaces the list. */
  enabled: boolean;
}

const TEXT_ENTRY = 'input, textarea, select, [contenteditable], [role="dialog"]';

/** Where keys belong to something else: typing, or a control of its own (Enter on a button clicks it). */
function ownedElsewhere(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest(TEXT_ENTRY)) return true;
  const control = key === 'Enter' ? target.closest('button, a') : null;
  return control !== null && !control.classList.contains('highlighted');
}

export function useListKeys({ ids, selectedId, onOpen, enabled }: Options): number | null {
  const [highlighted, setHighlighted] = useState<number | null>(null);
  const latest = useRef({ ids, selectedId, onOpen, enabled, highlighted });
  latest.current = { ids, selectedId, onOpen, enabled, highlighted };

  // Opening another row (by click or Enter) restarts the walk from the open one.
  useEffect(() => setHighlighted(null), [selectedId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { ids, selectedId, onOpen, enabled, highlighted } = latest.current;
      if (!enabled || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || ids.length === 0) return;
      if (ownedElsewhere(e.target, e.key)) return;
      const at = ids.indexOf(highlighted ?? selectedId ?? -1);
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
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  return highlighted;
}
