// Connects the widget's UI to its state: re-renders through Preact's own scheduler whenever the
// connection or the open/closed flag changes. (Calling render() again from outside would re-enter
// Preact mid-commit, which duplicated DOM nodes; forceUpdate() is batched safely instead.)
import { Component } from 'preact';
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
  launcher: LauncherLink;
}

// A class, the one place the panel's root keeps anything between renders: its subscription, and the
// unread count the launcher was last told.
export class Root extends Component<Props> {
  #unsubscribe?: () => void;
  #unread: number | null = null;

  // Mounting is synchronous with render(), so nothing can change between the first render and this.
  override componentDidMount(): void {
    this.#unsubscribe = this.props.view.subscribe(() => this.forceUpdate());
    this.componentDidUpdate();
  }

  override componentDidUpdate(): void {
    const { connection, view, launcher } = this.props;
    // The launcher shows the count on its badge and in its name; an open panel has nothing unread.
    const unread = view.open ? 0 : connection.unreadCount;
    if (unread !== this.#unread) launcher.setUnread((this.#unread = unread));
  }

  override componentWillUnmount(): void {
    this.#unsubscribe?.();
  }

  render({ connection, view, launcher }: Props) {
    // Resolved, painted on the host and remembered by the launcher, during render so that a colour or
    // side change never shows a frame of the old one (it does nothing while the settings stay the same).
    const look = launcher.look(connection.settings);
    return <Widget connection={connection} open={view.open} setOpen={view.setOpen} text={look} icon={launcher.icon} />;
  }
}
