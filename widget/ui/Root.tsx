// Connects the widget's UI to its state: re-renders through Preact's own scheduler whenever the
// connection or the open/closed flag changes. (Calling render() again from outside would re-enter
// Preact mid-commit, which duplicated DOM nodes; a state update is batched safely instead.)
import { useEffect, useReducer } from 'preact/hooks';
import type { ChatConnection } from '../connection';
import type { LauncherLink } from '../panelLink';
import { Widget } from './Widget';

export interface ViewState {
  open: boolean;
  /** Asks the launcher to open or close the widget (it owns the open state, and focus on close). */
  setOpen(open: boolean): void;
  /** The launcher's answer: the widget is now open or closed. */
  show(open: boolean): void;
  /** Call after any change the UI should show. */
  changed(): void;
  subscribe(listener: () => void): () => void;
}

export function createViewState(setOpen: (open: boolean) => void): ViewState {
  const listeners = new Set<() => void>();
  const view: ViewState = {
    open: false,
    setOpen,
    show(open) {
      view.open = open;
      view.changed();
    },
    changed() {
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return view;
}

interface Props {
  connection: ChatConnection;
  view: ViewState;
  /** The shadow host, which carries the colours and side the stylesheet reads. */
  host: HTMLElement;
  launcher: LauncherLink;
}

export function Root({ connection, view, host, launcher }: Props) {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const rerender = () => bump(undefined);
    const unsubscribe = view.subscribe(rerender);
    rerender(); // catch anything that changed before this effect ran
    return unsubscribe;
  }, [view]);

  const { settings } = connection;
  // Resolved, painted on the host and remembered by the launcher, during render so that a colour or
  // side change never shows a frame of the old one (it does nothing while the settings stay the same).
  const look = launcher.look(settings);
  // The launcher shows the count on its badge and in its name; an open panel has nothing unread.
  const unread = view.open ? 0 : connection.unreadCount;
  useEffect(() => launcher.setUnread(unread), [unread]);

  return <Widget connection={connection} open={view.open} setOpen={view.setOpen} text={look} />;
}
