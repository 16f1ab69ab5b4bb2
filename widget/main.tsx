// The embeddable script (/widget.js). Mounts the widget in a shadow root, and replaces the snippet's
// queue with the real `window.Parley(command, ...args)`, replaying calls made before it loaded.
// It must define no global other than `window.Parley`, and add nothing to the host page's CSS.
import { render } from 'preact';
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PAGE_URL_LENGTH } from '../shared/limits';
import { ChatConnection } from './connection';
import { readEmbedSettings } from './embed';
import { applyLook, resolveLook, savedSettings } from './look';
import { localOutbox } from './outbox';
import { styles } from './ui/styles';
import { Root, createViewState } from './ui/Root';
import { visitorCookie } from './visitorCookie';

type Command = 'open' | 'close' | 'identify';
type ParleyFn = ((command: Command, arg?: unknown) => void) & { q?: IArguments[] | unknown[][]; loaded?: boolean };
declare global {
  interface Window {
    Parley?: ParleyFn;
  }
}

function mount(): void {
  if (window.Parley?.loaded) return; // the script tag was pasted twice
  const settings = readEmbedSettings();
  const host = document.createElement('div');
  host.setAttribute('data-parley', '');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = styles;
  shadow.appendChild(style);
  // What this browser saw last, at once: the server's settings arrive with the socket, if it opens.
  applyLook(host, resolveLook(settings.overrides, savedSettings()));
  const container = document.createElement('div');
  shadow.appendChild(container);
  document.body.appendChild(host);

  const view = createViewState();
  const connection = new ChatConnection({
    socketUrl: settings.socketUrl,
    tokens: visitorCookie,
    outbox: localOutbox,
    page: () => ({ url: location.href.slice(0, MAX_PAGE_URL_LENGTH), referrer: document.referrer.slice(0, MAX_PAGE_URL_LENGTH) }),
    onChange: view.changed,
  });
  const parley: ParleyFn = (command, arg) => {
    if (command === 'open') view.setOpen(true);
    else if (command === 'close') view.setOpen(false);
    else if (command === 'identify' && arg && typeof arg === 'object') {
      const { email, name, userHash } = arg as { email?: unknown; name?: unknown; userHash?: unknown };
      connection.identify({
        ...(typeof email === 'string' && { email: email.slice(0, MAX_EMAIL_LENGTH) }),
        ...(typeof name === 'string' && { name: name.slice(0, MAX_NAME_LENGTH) }),
        // The site backend's HMAC of the email: passed through untouched, the server checks it.
        ...(typeof userHash === 'string' && { userHash }),
      });
    } else console.warn('[parley] unknown command', command);
  };
  parley.loaded = true;
  const queued = window.Parley?.q ?? [];
  window.Parley = parley;

  // Reconnect at once when the network or the tab comes back, instead of waiting out the backoff.
  addEventListener('online', () => connection.reconnectNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') connection.reconnectNow();
  });

  render(<Root connection={connection} view={view} page={settings.overrides} host={host} />, container);
  performance.mark('parley:ready'); // render() is synchronous: launcher + click handler exist now (bench/widgetTiming.ts)
  // Calls queued before the script loaded replay now, ahead of any the page makes later.
  for (const call of queued) parley(...(Array.from(call as ArrayLike<unknown>) as [Command, unknown]));
  // The connection waits for the next task, so the browser can paint the launcher and take clicks
  // first: reading the visitor cookie is a synchronous round trip to the browser process (start()
  // took 3–18 ms in a fresh Chromium context on one CPU), and the socket can open a frame later.
  setTimeout(() => connection.start());
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount);
