// The chat panel's file (content-hashed, loaded by the launcher): Preact, the connection and the UI,
// mounted into the launcher's shadow root. Running it defines nothing: it hands its mount function to
// the launcher through `window.Parley.panel` and waits to be called.
import { render } from 'preact';
import { MAX_PAGE_URL_LENGTH } from '../shared/limits';
import { ChatConnection } from './connection';
import { localOutbox } from './outbox';
import type { MountPanel } from './panelLink';
import { styles } from './ui/styles';
import { Root, createViewState } from './ui/Root';
import { visitorCookie } from './visitorCookie';

const mountPanel: MountPanel = (launcher, { shadow, container, settings }) => {
  const style = document.createElement('style');
  style.textContent = styles;
  shadow.appendChild(style);

  const view = createViewState(launcher.setOpen);
  const connection = new ChatConnection({
    socketUrl: settings.socketUrl,
    tokens: visitorCookie,
    outbox: localOutbox,
    page: () => ({ url: location.href.slice(0, MAX_PAGE_URL_LENGTH), referrer: document.referrer.slice(0, MAX_PAGE_URL_LENGTH) }),
    onChange: view.changed,
  });

  // Reconnect at once when the network or the tab comes back, instead of waiting out the backoff.
  addEventListener('online', () => connection.reconnectNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') connection.reconnectNow();
  });

  render(<Root connection={connection} view={view} launcher={launcher} />, container);
  // The connection waits for the next task, so the browser can paint first: reading the visitor
  // cookie is a synchronous round trip to the browser process (start() took 3–18 ms in a fresh
  // Chromium context on one CPU), and the socket can open a frame later.
  setTimeout(() => connection.start());
  return {
    show: view.show,
    identify: (identity) => connection.identify(identity),
  };
};

window.Parley?.panel?.(mountPanel);
