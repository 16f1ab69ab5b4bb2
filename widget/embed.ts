// How the widget learns about the page it is embedded in: which server it came from (its own script
// src, or data-server), and the site owner's optional data-* settings on the script tag.
import { VISITOR_SOCKET_PATH } from '../shared/limits';

export interface EmbedSettings {
  serverOrigin: string;
  socketUrl: string;
  title: string;
  subtitle: string;
  greeting: string;
  color: string | null;
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
  return {
    serverOrigin,
    socketUrl: serverOrigin.replace(/^http/, 'ws') + VISITOR_SOCKET_PATH,
    title: data.title || 'Chat with us',
    subtitle: data.subtitle || 'We usually reply within a few minutes',
    greeting: data.greeting || 'Hi there! Ask us anything, we are happy to help.',
    color: data.color && /^#[0-9a-f]{3,8}$/i.test(data.color) ? data.color : null,
  };
}
