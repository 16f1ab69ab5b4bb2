// What every page view pays for: the launcher button with its unread count, the `Parley(...)` command
// queue, and the decision when to fetch the chat panel. Plain DOM, no Preact (≤ 6 KB brotli, checked by
// scripts/check-widget-size.ts). It must never open a socket or write a cookie: the panel does, and
// only for a visitor who writes, or who wrote before.
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH } from '../shared/limits';
import type { VisitorWidgetSettings } from '../shared/protocol';
import type { EmbedSettings } from './embed';
import type { Look } from './look';
import { icon } from './icons';
import { launcherStyles } from './launcherStyles';
import { applyLook, resolveLook, savedSettings, saveSettings } from './look';
import { OUTBOX_KEY } from './outbox';
import type { Identity, MountPanel, PanelLink, ParleyFn } from './panelLink';
import { readVisitorToken } from './visitorCookie';

/** The launcher's accessible name: the unread count is part of it, so it is read wherever focus lands. */
function launcherName(open: boolean, unread: number): string {
  if (open) return 'Hide chat';
  if (unread === 0) return 'Open chat';
  return `Open chat, ${unread} unread ${unread === 1 ? 'reply' : 'replies'}`;
}

/**
 * Whether this browser chatted here before: the visitor cookie, or messages an earlier page left
 * unsent. Then the panel loads at once, since history and replies may arrive.
 */
function hasChattedBefore(): boolean {
  if (readVisitorToken() !== undefined) return true;
  try {
    return localStorage.getItem(OUTBOX_KEY) !== null;
  } catch {
    return false; // storage blocked: only the cookie tells
  }
}

/** How the launcher gets the panel's mount function: a script tag in the browser, a stand-in in tests. */
type LoadPanel = () => Promise<MountPanel>;

/**
 * Loads the panel with a classic script tag rather than import(): it needs no CORS, and the tag can
 * carry widget.js's own CSP nonce, so a site whose policy allows Parley's origin or uses nonces runs
 * it. The panel file hands its mount function over through `window.Parley.panel`.
 */
export function scriptLoader(parley: ParleyFn, url: string, nonce: string): LoadPanel {
  return () =>
    new Promise((resolve, reject) => {
      parley.panel = resolve;
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      if (nonce) script.nonce = nonce;
      script.onerror = () => {
        script.remove();
        reject(new Error(`[parley] could not load ${url}`));
      };
      document.head.appendChild(script);
    });
}

/** Mounts the launcher and returns the page's `window.Parley`. */
export function startLauncher(settings: EmbedSettings, loadPanel: (parley: ParleyFn) => LoadPanel): ParleyFn {
  const host = document.createElement('div');
  host.setAttribute('data-parley', '');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = launcherStyles;
  const root = document.createElement('div');
  root.className = 'root';
  const container = document.createElement('div');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'launcher';
  const badge = document.createElement('span');
  badge.className = 'badge';
  // The count is in the button's name; the badge is only its picture.
  badge.setAttribute('aria-hidden', 'true');
  badge.hidden = true;
  root.append(container, button, badge);
  shadow.append(style, root);
  // What this browser saw last, at once: the panel applies the server's settings when they arrive.
  const saved = savedSettings();
  let painted: VisitorWidgetSettings | null | undefined;
  let current = resolveLook(settings.overrides, saved);
  applyLook(host, current);
  const look = (server: VisitorWidgetSettings | null): Look => {
    if (server === painted) return current;
    painted = server;
    current = resolveLook(settings.overrides, server ?? saved);
    applyLook(host, current);
    if (server) saveSettings(server);
    return current;
  };
  document.body.appendChild(host);

  let open = false;
  let unread = 0;
  let panel: PanelLink | null = null;
  let loading: Promise<PanelLink> | null = null;
  /** What identify() calls said before the panel was there, handed over when it mounts. */
  let identity: Identity | null = null;

  const draw = () => {
    button.setAttribute('aria-label', launcherName(open, unread));
    button.setAttribute('aria-expanded', String(open));
    button.innerHTML = icon(open ? 'close' : 'chat');
    badge.hidden = open || unread === 0;
    badge.textContent = String(unread);
    // On a phone the open panel covers the screen and the launcher steps aside (launcherStyles).
    root.classList.toggle('open', open && panel !== null);
  };

  const load = (): Promise<PanelLink> =>
    (loading ??= loadPanel(parley)()
      .then((mount) => {
        panel = mount({ setOpen, setUnread, look, icon }, { shadow, container, settings });
        if (identity) panel.identify(identity);
        panel.show(open);
        draw();
        return panel;
      })
      .catch((error: unknown) => {
        // Offline or blocked: the launcher stays usable and the next click tries again.
        loading = null;
        console.warn(error);
        setOpen(false);
        throw error;
      }));

  function setOpen(next: boolean): void {
    if (next === open) return;
    // The panel's DOM goes away on close: if focus was in the widget, it comes back to the launcher.
    const focusWasInside = shadow.activeElement !== null;
    open = next;
    panel?.show(open);
    draw();
    if (open) void load().catch(() => {});
    else if (focusWasInside) button.focus();
  }

  function setUnread(count: number): void {
    unread = count;
    draw();
  }

  const parley: ParleyFn = (command, arg) => {
    if (command === 'open') setOpen(true);
    else if (command === 'close') setOpen(false);
    else if (command === 'identify' && arg && typeof arg === 'object') {
      const { email, name, userHash } = arg as Record<string, unknown>;
      const said: Identity = {
        ...(typeof email === 'string' && { email: email.slice(0, MAX_EMAIL_LENGTH) }),
        ...(typeof name === 'string' && { name: name.slice(0, MAX_NAME_LENGTH) }),
        ...(typeof userHash === 'string' && { userHash }),
      };
      identity = { ...identity, ...said };
      panel?.identify(said);
    } else console.warn('[parley] unknown command', command);
  };
  parley.loaded = true;

  button.addEventListener('click', () => setOpen(!open));
  // A visitor heading for the button gets the panel fetched (and ready) before they click.
  const prefetch = () => void load().catch(() => {});
  button.addEventListener('pointerenter', prefetch, { once: true });
  button.addEventListener('focus', prefetch, { once: true });
  draw();
  performance.mark('parley:ready'); // the launcher and its click handler exist (bench/widgetTiming.ts)
  if (hasChattedBefore()) prefetch();
  return parley;
}
