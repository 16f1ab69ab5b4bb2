// Hands the focus on when an action removes or hides the control that had it (Back, "Back to inbox",
// Delete, a panel closing): the next element is focused once the render that removed it is on screen,
// so the focus never falls to <body>. Where the agent has meanwhile moved the focus, it stays there.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

type Target = () => HTMLElement | null | undefined;

/** The focus is nowhere useful: on <body>, or on an element that is gone or no longer displayed. */
function focusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected || active.getClientRects().length === 0;
}

/**
 * Returns `focusAfterRender(target, from)`: after the coming render, focuses what `target` finds if the
 * focus was lost or is still on `from`, the control acted on (by default, the one focused now; an
 * action that awaits the server passes the one focused before it started).
 */
export function useFocusAfterRender(): (target: Target, from?: Element | null) => void {
  const pending = useRef<{ target: Target; from: Element | null } | null>(null);
  const [, rerender] = useState(0);

  useEffect(() => {
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    if (focusLost() || document.activeElement === next.from) next.target()?.focus();
  });

  return useCallback((target: Target, from: Element | null = document.activeElement) => {
    pending.current = { target, from };
    rerender((n) => n + 1);
  }, []);
}
