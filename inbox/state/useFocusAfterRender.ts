// Hands the focus on when an action removes or hides the control that had it (Back, "Back to inbox",
// Delete, a panel closing): the next element is focused once the render that removed it is on screen,
// so the focus never falls to <body>. It never pulls the focus away from where the agent has moved it since.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

type Target = () => HTMLElement | null | undefined;

/** Returns `focusAfterRender(target)`: after the coming render, focuses the first element `target` finds. */
export function useFocusAfterRender(): (target: Target) => void {
  const pending = useRef<{ target: Target; from: Element | null } | null>(null);
  const [, rerender] = useState(0);

  useEffect(() => {
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    const active = document.activeElement;
    const moved = active !== null && active !== document.body && active !== next.from && active.isConnected;
    if (!moved) next.target()?.focus();
  });

  return useCallback((target: Target) => {
    pending.current = { target, from: document.activeElement };
    rerender((n) => n + 1);
  }, []);
}
