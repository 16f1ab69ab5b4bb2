// Every date, time and label the inbox prints, via Intl in the agent's own locale (no date library).
// `locale` is a parameter only so tests can pin one; the page always passes nothing.
import { CHANNEL_LABELS } from '../../shared/channels';
import type { Channel } from '../../shared/protocol';

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building an Intl formatter is slow compared to using one, and the list formats every row each tick.
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

const startOfDay = (ts: number): number => new Date(ts).setHours(0, 0, 0, 0);
const sameYear = (a: number, b: number): boolean => new Date(a).getFullYear() === new Date(b).getFullYear();

/** Clock time, e.g. "3:04 PM" (or "15:04" where that is the custom). */
export function clockTime(ts: number, locale?: string): string {
  return formatter(locale, { hour: 'numeric', minute: '2-digit' }).format(ts);
}

/** The list's compact time: "now", "5m", "3:04 PM" today, "Mon" this week, "12 Mar", "12 Mar 2023". */
export function shortTime(ts: number, now: number, locale?: string): string {
  const ago = now - ts;
  if (ago < MINUTE) return 'now'; // also covers a server clock slightly ahead of ours
  if (ago < 60 * MINUTE) return `${Math.floor(ago / MINUTE)}m`;
  if (startOfDay(ts) === startOfDay(now)) return clockTime(ts, locale);
  if (startOfDay(now) - startOfDay(ts) < 6 * DAY) return formatter(locale, { weekday: 'short' }).format(ts);
  if (sameYear(ts, now)) return formatter(locale, { day: 'numeric', month: 'short' }).format(ts);
  return formatter(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(ts);
}

/** Full date and time, for tooltips. */
export function fullTime(ts: number, locale?: string): string {
  return formatter(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ts);
}

/** A date without the time, e.g. "12 Mar 2025". */
export function calendarDate(ts: number, locale?: string): string {
  return formatter(locale, { dateStyle: 'medium' }).format(ts);
}

/** The divider above each day's messages: "Today", "Yesterday", "Monday, 12 March". */
export function dayLabel(ts: number, now: number, locale?: string): string {
  const days = Math.round((startOfDay(now) - startOfDay(ts)) / DAY);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return formatter(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(!sameYear(ts, now) && { year: 'numeric' }),
  }).format(ts);
}

export const sameDay = (a: number, b: number): boolean => startOfDay(a) === startOfDay(b);

/** Time still left, coarse enough to read at a glance: "23 h", then "59 min" in the last hour. */
export function timeLeft(ms: number): string {
  if (ms >= 60 * MINUTE) return `${Math.floor(ms / (60 * MINUTE))} h`;
  return `${Math.max(1, Math.floor(ms / MINUTE))} min`;
}

/** Where a message came from, as agents call it. */
export const channelLabel = (channel: Channel): string => CHANNEL_LABELS[channel] ?? channel;

/** Up to two characters for an avatar: "Jane Doe" → "JD", "Visitor #3" → "V3", "jo@x.io" → "J". */
export function initials(title: string): string {
  if (title.includes('@')) return (title[0] ?? '?').toUpperCase(); // an email: its first letter only
  const words = title.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0]?.[0], words[1]?.[0]] : [words[0]?.[0]];
  return letters.join('').toUpperCase() || '?';
}
