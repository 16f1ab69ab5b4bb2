// The protocol between the two widget files, typed once: the launcher (widget.js, on every page view)
// and the chat panel (a hashed file it loads on demand). Types only: neither side's code crosses here.
import type { VisitorWidgetSettings } from '../shared/protocol';
import type { EmbedSettings } from './embed';
import type { IconName } from './icons';
import type { Look } from './look';

/** What the page told us about the visitor through `Parley('identify', …)`, already bounded. */
export interface Identity {
  email?: string;
  name?: string;
  /** The site backend's HMAC of the email, passed through untouched (the server checks it). */
  userHash?: string;
}

/** What the launcher offers the panel. */
export interface LauncherLink {
  /**
   * Opens or closes the widget. However the panel closes (its close button, Escape), it calls
   * setOpen(false): the launcher then shows itself closed and takes focus back if the widget had it.
   */
  setOpen(open: boolean): void;
  /** Agent replies the visitor has not seen: the launcher's badge and accessible name carry them. */
  setUnread(count: number): void;
  /**
   * The look for the server's settings (null: none yet, so the last this browser saw) under the page's
   * data-*, painted on the shadow host and remembered for the next page view. The launcher holds the
   * contrast rule and the host already, so the panel carries neither.
   */
  look(settings: VisitorWidgetSettings | null): Look;
  /** An icon's markup (../icons.ts): the launcher ships them for its button, the panel borrows them. */
  icon(name: IconName): string;
}

/** What the panel offers the launcher. */
export interface PanelLink {
  /** The launcher's open state changed (it already shows the new state): show or hide the panel. */
  show(open: boolean): void;
  identify(identity: Identity): void;
}

/** Where the panel lives: the launcher's shadow root, and the element it renders into. */
export interface PanelPlace {
  shadow: ShadowRoot;
  /** Before the launcher button in the widget's fixed corner, so the panel sits above it. */
  container: HTMLElement;
  settings: EmbedSettings;
}

export type MountPanel = (launcher: LauncherLink, place: PanelPlace) => PanelLink;

type Command = 'open' | 'close' | 'identify';

/** `window.Parley`: the page's command queue until widget.js runs, then the launcher's commands. */
export type ParleyFn = ((command: Command, arg?: unknown) => void) & {
  /** Calls the snippet queued before widget.js ran. */
  q?: IArguments[] | unknown[][];
  loaded?: boolean;
  /** Called by the panel file once it has run, with the function that mounts it. */
  panel?: (mount: MountPanel) => void;
};

declare global {
  interface Window {
    Parley?: ParleyFn;
  }
}
