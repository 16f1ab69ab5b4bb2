// How the widget looks before and after the site owner's Settings → Widget: the defaults, and the
// WCAG contrast rule that picks the text colour on their brand colour. Plain code only: the widget
// imports this file, so nothing here may pull in a library.

/** What a widget looks like until the server's settings arrive: the launcher carries these. */
export const LOOK_DEFAULTS = {
  title: 'Chat with us',
  subtitle: 'We usually reply within a few minutes',
  greeting: 'Hi there! Ask us anything, we are happy to help.',
  color: '#4f46e5',
};

/** What a fresh install stores. */
export const WIDGET_DEFAULTS = {
  ...LOOK_DEFAULTS,
  outsideHoursText: "We're away — leave your email and we'll reply",
};

/** Text on a brand colour too light for white; dark enough to reach 4.5:1 on most of them. */
export const DARK_TEXT = '#111827';
export const WHITE_TEXT = '#ffffff';
/** WCAG 2.1 AA for normal text. */
export const MIN_CONTRAST = 4.5;
/** WCAG 2.1 AA for a control's edge or a focus ring against what surrounds it. */
export const MIN_UI_CONTRAST = 3;
/** The panel's background in the light and the dark colour scheme (widget/ui/styles.ts paints them). */
export const PANEL_LIGHT = '#ffffff';
export const PANEL_DARK = '#1f2937';

/** Relative luminance of a #rrggbb colour (WCAG 2.1). */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The contrast ratio of two #rrggbb colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/**
 * The text colour for a #rrggbb background: white when it reaches 4.5:1, else dark text when that
 * does, else null (no text colour is readable on it). `ratio` is the better of the two.
 */
export function textColorOn(background: string): { textColor: string | null; ratio: number } {
  const white = contrastRatio(background, WHITE_TEXT);
  if (white >= MIN_CONTRAST) return { textColor: WHITE_TEXT, ratio: white };
  const dark = contrastRatio(background, DARK_TEXT);
  return { textColor: dark >= MIN_CONTRAST ? DARK_TEXT : null, ratio: Math.max(white, dark) };
}

/**
 * The focus ring's colour on a #rrggbb surface: the brand colour when it stands out at 3:1, else
 * whichever of dark or white text stands out more (a pale yellow brand gets a dark ring on white).
 */
export function focusRingOn(accent: string, surface: string): string {
  if (contrastRatio(accent, surface) >= MIN_UI_CONTRAST) return accent;
  return contrastRatio(DARK_TEXT, surface) >= contrastRatio(WHITE_TEXT, surface) ? DARK_TEXT : WHITE_TEXT;
}
