// Business hours in the site owner's time zone: whether the widget is open at an instant, and when
// that next changes. Pure functions of (hours, zone, instant); the clock is the caller's.
import { WEEKDAYS, type BusinessHours } from '../../shared/protocol';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** One formatter per zone: building one costs far more than using it. Zones are few (one in practice). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at instant `at`, written as if it were a UTC instant (ms). */
function wallClock(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The instant a wall-clock time in `timeZone` happens (the usual two-step offset guess; good across DST). */
function instantOf(wall: number, timeZone: string): number {
  const firstGuess = wall - (wallClock(wall, timeZone) - wall);
  return wall - (wallClock(firstGuess, timeZone) - firstGuess);
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
/** Monday 0 … Sunday 6, of a wall clock written as UTC. */
const weekdayOf = (wall: number) => (new Date(wall).getUTCDay() + 6) % 7;

function openAtWall(hours: BusinessHours, wall: number): boolean {
  const today = hours[WEEKDAYS[weekdayOf(wall)]!];
  if (!today) return false;
  const minute = Math.floor((wall % DAY_MS) / MINUTE_MS);
  return minutesOf(today.from) <= minute && minute < minutesOf(today.to);
}

/** Whether the widget is inside business hours at `at`; `hours` null means always open. */
export function isOpenAt(hours: BusinessHours | null, timeZone: string, at: number): boolean {
  return hours === null || openAtWall(hours, wallClock(at, timeZone));
}

/**
 * The next instant after `at` when isOpenAt changes, or null if it never does (always open, or
 * closed every day). Looks a week and a day ahead: every weekday's hours repeat within that.
 */
export function nextChangeAfter(hours: BusinessHours | null, timeZone: string, at: number): number | null {
  if (hours === null) return null;
  const now = wallClock(at, timeZone);
  const openNow = openAtWall(hours, now);
  const midnight = now - (now % DAY_MS);
  for (let day = 0; day <= 7; day++) {
    const start = midnight + day * DAY_MS;
    const today = hours[WEEKDAYS[weekdayOf(start)]!];
    if (!today) continue;
    for (const time of [today.from, today.to]) {
      const wall = start + minutesOf(time) * MINUTE_MS;
      // Closing at 24:00 and opening at 00:00 the next day is no change: skip boundaries that flip nothing.
      if (wall > now && openAtWall(hours, wall) !== openNow) return instantOf(wall, timeZone);
    }
  }
  return null;
}
