// What the widget looks like on this page: the script tag's data-* settings, else Settings → Widget
// from the server, else the last settings this browser saw (so a returning visitor's launcher has the
// right colour and side before the socket opens), else the defaults.
import type { VisitorWidgetSettings } from '../shared/protocol';
import { focusRingOn, LOOK_DEFAULTS, PANEL_DARK, PANEL_LIGHT, textColorOn, WHITE_TEXT } from '../shared/widgetLook';
import type { PageOverrides } from './embed';

export interface Look {
  title: string;
  subtitle: string;
  greeting: string;
  color: string;
  textColor: string;
  position: 'right' | 'left';
}

const SAVED_KEY = 'parley_look';

/** The settings the server sent last time, or null (none yet, storage blocked, or not JSON). */
export function savedSettings(): Partial<VisitorWidgetSettings> | null {
  try {
    return JSON.parse(localStorage.getItem(SAVED_KEY) ?? 'null') as Partial<VisitorWidgetSettings> | null;
  } catch {
    return null;
  }
}

export function saveSettings(settings: VisitorWidgetSettings): void {
  try {
    localStorage.setItem(SAVED_KEY, JSON.stringify(settings));
  } catch {
    // Private mode or a full quota: the next page load shows the defaults until the socket opens.
  }
}

export function resolveLook(page: PageOverrides, server: Partial<VisitorWidgetSettings> | null): Look {
  const look: Look = { ...LOOK_DEFAULTS, textColor: WHITE_TEXT, position: 'right', ...server, ...page };
  // The server paired its own colour already; a page's colour gets the same rule here.
  if (page.color) look.textColor = textColorOn(page.color).textColor ?? WHITE_TEXT;
  return look;
}

/** Colours and side go on the shadow host: the stylesheet reads them from there (ui/styles.ts). */
export function applyLook(host: HTMLElement, look: Look): void {
  host.style.setProperty('--parley-accent', look.color);
  host.style.setProperty('--parley-on-accent', look.textColor);
  // A field's focus halo in the brand colour only where it shows against the panel (3:1), per scheme.
  host.style.setProperty('--parley-ring', focusRingOn(look.color, PANEL_LIGHT));
  host.style.setProperty('--parley-ring-dark', focusRingOn(look.color, PANEL_DARK));
  host.dataset.position = look.position;
}
