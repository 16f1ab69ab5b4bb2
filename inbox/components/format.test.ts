import { describe, expect, it } from 'vitest';
import { channelLabel, dayLabel, initials, shortTime, timeLeft } from './format';

// Local-time dates, so the tests hold in any time zone.
const now = new Date(2025, 2, 14, 15, 30).getTime(); // Friday 14 March 2025, 3:30 PM
const at = (...parts: [number, number, number, number?, number?]) => new Date(...parts).getTime();

describe('list times', () => {
  it('says "now" for the last minute, and for a server clock slightly ahead', () => {
    expect(shortTime(now - 20_000, now, 'en-US')).toBe('now');
    expect(shortTime(now + 5_000, now, 'en-US')).toBe('now');
  });

  it('counts minutes within the hour', () => {
    expect(shortTime(now - 5 * 60_000, now, 'en-US')).toBe('5m');
    expect(shortTime(now - 59 * 60_000, now, 'en-US')).toBe('59m');
  });

  it('shows the clock time earlier today', () => {
    expect(shortTime(at(2025, 2, 14, 9, 4), now, 'en-US')).toBe('9:04 AM');
  });

  it('shows the weekday within the last week, then day and month, then the year', () => {
    expect(shortTime(at(2025, 2, 10, 12, 0), now, 'en-US')).toBe('Mon');
    expect(shortTime(at(2025, 2, 1, 12, 0), now, 'en-GB')).toBe('1 Mar');
    expect(shortTime(at(2023, 11, 12, 12, 0), now, 'en-GB')).toBe('12 Dec 2023');
  });
});

describe('day dividers', () => {
  it('name today and yesterday in words, older days in full', () => {
    expect(dayLabel(at(2025, 2, 14, 1, 0), now, 'en-GB')).toBe('Today');
    expect(dayLabel(at(2025, 2, 13, 23, 0), now, 'en-GB')).toBe('Yesterday');
    expect(dayLabel(at(2025, 2, 3, 12, 0), now, 'en-GB')).toBe('Monday 3 March');
  });
});

describe('labels', () => {
  it('names every channel as agents know it', () => {
    expect([channelLabel('chat'), channelLabel('email'), channelLabel('messenger')]).toEqual(['Web Chat', 'Email', 'Messenger']);
  });

  it('counts time left in whole hours, then minutes in the last hour', () => {
    expect(timeLeft(23 * 3_600_000 + 59 * 60_000)).toBe('23 h');
    expect(timeLeft(3_600_000)).toBe('1 h');
    expect(timeLeft(59 * 60_000 + 1)).toBe('59 min');
    expect(timeLeft(10_000)).toBe('1 min');
  });

  it('makes avatar initials from names, visitor numbers and emails', () => {
    expect(initials('Jane Doe')).toBe('JD');
    expect(initials('Visitor #3')).toBe('V3');
    expect(initials('jo@example.com')).toBe('J');
  });
});
