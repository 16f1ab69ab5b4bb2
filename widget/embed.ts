// How the widget learns about the page it is embedded in: which server it came from (its own script
// src, or data-server), and the site owner's optional data-* settings on the script tag, which win
// over Settings → Widget on that page.
import { VISITOR_SOCKET_PATH } from '../shared/limits';
import type { VisitorWidgetSettings } from '../shared/protocol';

/** What a page's script tag may set for itself; anything it leaves out comes from the server. */
export type PageOverrides = Partial<Pick<VisitorWidgetSettings, 'title' | 'subtitle' | 'greeting' | 'color' | 'position'>>;

export interface EmbedSettings {
  serverOrigin: string;
  socketUrl: string;
  overrides: PageOverrides;
  /** Where widget.js itself came from: the panel file is found beside it, wherever the server mounts it. */
  scriptUrl: string;
  /** The script tag's CSP nonce, passed on to the panel's script tag (a nonce-based policy allows it then). */
  nonce: string;
}

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  // Fallback for loaders that run the script without currentScript.
  return document.querySelector<HTMLScriptElement>('script[src*="/widget.js"]');
}

export function readEmbedSettings(): EmbedSettings {
  const script = ownScript();
  const data = script?.dataset ?? {};
  const base = data.server || script?.src || location.href;
  const serverOrigin = new URL(base, location.href).origin;
  const overrides: PageOverrides = {};
  if (data.title) overrides.title = data.title;
  if (data.subtitle) overrides.subtitle = data.subtitle;
  if (data.greeting) overrides.greeting = data.greeting;
  // #rgb is written out as #rrggbb: the contrast rule (shared/widgetLook.ts) reads six digits.
  if (data.color && /^#([0-9a-f]{3}){1,2}$/i.test(data.color)) overrides.color = data.color.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3');
  if (data.position === 'left' || data.position === 'right') overrides.position = data.position;
  return {
    serverOrigin,
    socketUrl: serverOrigin.replace(/^http/, 'ws') + VISITOR_SOCKET_PATH,
    overrides,
    scriptUrl: script?.src || `${serverOrigin}/widget.js`,
    nonce: script?.nonce ?? '',
  };
}
