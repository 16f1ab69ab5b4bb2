// widget.js, the script site owners paste: the launcher alone (launcher.ts). The chat panel is a second,
// content-hashed file beside it, fetched when the visitor opens the widget, hovers or focuses the
// launcher, or has chatted here before. It must define no global other than `window.Parley`.
import { readEmbedSettings, type EmbedSettings } from './embed';
import { scriptLoader, startLauncher } from './launcher';

/** The panel's file name, content-hashed, set by the widget build (vite.config.ts). */
declare const __PARLEY_PANEL_FILE__: string;

function mount(settings: EmbedSettings): void {
  if (window.Parley?.loaded) return; // the script tag was pasted twice
  // Beside widget.js wherever the server mounts it, not at the site's own root.
  const panelUrl = new URL(__PARLEY_PANEL_FILE__, settings.scriptUrl).href;
  const queued = window.Parley?.q ?? [];
  const parley = startLauncher(settings, (self) => scriptLoader(self, panelUrl, settings.nonce));
  window.Parley = parley;
  // Calls queued before the script loaded replay now, ahead of any the page makes later.
  for (const call of queued) parley(...(Array.from(call as ArrayLike<unknown>) as Parameters<typeof parley>));
}

// Read while this script runs: document.currentScript is null once it has returned.
const settings = readEmbedSettings();
if (document.body) mount(settings);
else document.addEventListener('DOMContentLoaded', () => mount(settings));
