// The panel's root: it holds the open/closed flag the launcher shows it, and renders again whenever
// that or the connection changes (panel.tsx calls `changed`). forceUpdate() goes through Preact's own
// scheduler; calling render() again from outside would re-enter Preact mid-commit, which duplicated
// DOM nodes.
import { Component } from 'preact';
import type { ChatConnection } from '../connection';
import type { LauncherLink } from '../panelLink';
import { Widget } from './Widget';

interface Props {
  connection: ChatConnection;
  launcher: LauncherLink;
}

export class Root extends Component<Props, { open: boolean }> {
  override state = { open: false };
  /** The unread count the launcher was last told. */
  #unread: number | null = null;

  /** The launcher's answer to setOpen: the widget is now open or closed. */
  show(open: boolean): void {
    this.setState({ open });
  }

  /** Call after any change the UI should show. */
  changed(): void {
    this.forceUpdate();
  }

  override componentDidMount(): void {
    this.componentDidUpdate();
  }

  override componentDidUpdate(): void {
    // The launcher shows the count on its badge and in its name; an open panel has nothing unread.
    const unread = this.state.open ? 0 : this.props.connection.unreadCount;
    if (unread !== this.#unread) this.props.launcher.setUnread((this.#unread = unread));
  }

  render({ connection, launcher }: Props, { open }: { open: boolean }) {
    // Resolved, painted on the host and remembered by the launcher, during render so that a colour or
    // side change never shows a frame of the old one (it does nothing while the settings stay the same).
    const look = launcher.look(connection.settings);
    return <Widget connection={connection} open={open} setOpen={launcher.setOpen} text={look} icon={launcher.icon} />;
  }
}
