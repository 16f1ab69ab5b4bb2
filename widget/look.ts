// What the widget looks like on this page: the script tag's data-* settings, else Settings → Widget
// from the server, else the last settings this browser saw (so a returning visitor's launcher has the
// right colour and side before the socket opens), else the defaults.
import type { VisitorWidgetSettings } from '../shared/protocol';
import { textColorOn, WHITE_TEXT, WIDGET_DEFAULTS } from '../shared/widgetLook';
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
  const color = page.color ?? server?.color ?? WIDGET_DEFAULTS.color;
  return {
    title: page.title ?? server?.title ?? WIDGET_DEFAULTS.title,
    subtitle: page.subtitle ?? server?.subtitle ?? WIDGET_DEFAULTS.subtitle,
    greeting: page.greeting ?? server?.greeting ?? WIDGET_DEFAULTS.greeting,
    color,
    // The server paired its colour already; a page's own colour gets the same rule here.
    textColor: (page.color ? textColorOn(color).textColor : server?.textColor) ?? WHITE_TEXT,
    position: page.position ?? server?.position ?? 'right',
  };
}

/** Colours and side go on the shadow host: the stylesheet reads them from there (ui/styles.ts). */
export function applyLook(host: HTMLElement, look: Look): void {
  host.style.setProperty('--parley-accent', look.color);
  host.style.setProperty('--parley-on-accent', look.textColor);
  host.dataset.position = look.position;
}
