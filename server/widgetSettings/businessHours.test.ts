// Business hours on a fixed clock: open and closed in the owner's zone, and when that next changes.
import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../shared/protocol';
import { isOpenAt, nextChangeAfter } from './businessHours';

const weekdays9to1730: BusinessHours = {
  mon: { from: '09:00', to: '17:30' },
  tue: { from: '09:00', to: '17:30' },
  wed: { from: '09:00', to: '17:30' },
  thu: { from: '09:00', to: '17:30' },
  fri: { from: '09:00', to: '17:30' },
  sat: null,
  sun: null,
};
const at = (iso: string) => Date.parse(iso);

describe('isOpenAt', () => {
  it('is always open without business hours', () => {
    expect(isOpenAt(null, 'UTC', at('2026-12-06T03:00:00Z'))).toBe(true);
  });

  it('reads the hours on the wall clock of the chosen time zone', () => {
    // Thursday 3 December 2026, 08:30 UTC is 09:30 in Paris (winter, UTC+1) and 03:30 in New York.
    expect(isOpenAt(weekdays9to1730, 'Europe/Paris', at('2026-12-03T08:30:00Z'))).toBe(true);
    expect(isOpenAt(weekdays9to1730, 'America/New_York', at('2026-12-03T08:30:00Z'))).toBe(false);
  });

  it('opens on the opening minute and closes on the closing minute', () => {
    expect(isOpenAt(weekdays9to1730, 'UTC', at('2026-12-03T08:59:59Z'))).toBe(false);
    expect(isOpenAt(weekdays9to1730, 'UTC', at('2026-12-03T09:00:00Z'))).toBe(true);
    expect(isOpenAt(weekdays9to1730, 'UTC', at('2026-12-03T17:29:59Z'))).toBe(true);
    expect(isOpenAt(weekdays9to1730, 'UTC', at('2026-12-03T17:30:00Z'))).toBe(false);
  });

  it('is closed all day on a day without hours', () => {
    expect(isOpenAt(weekdays9to1730, 'UTC', at('2026-12-05T12:00:00Z'))).toBe(false); // a Saturday
  });

  it('takes the weekday from the zone, not from UTC', () => {
    // Friday 23:30 UTC is already Saturday 08:30 in Tokyo: closed, though Friday in UTC would be too.
    const saturdayOnly: BusinessHours = { ...weekdays9to1730, fri: null, sat: { from: '08:00', to: '12:00' } };
    expect(isOpenAt(saturdayOnly, 'Asia/Tokyo', at('2026-12-04T23:30:00Z'))).toBe(true);
    expect(isOpenAt(saturdayOnly, 'UTC', at('2026-12-04T23:30:00Z'))).toBe(false);
  });
});

describe('nextChangeAfter', () => {
  it('is the closing time while open, and the next opening while closed', () => {
    expect(nextChangeAfter(weekdays9to1730, 'UTC', at('2026-12-03T12:00:00Z'))).toBe(at('2026-12-03T17:30:00Z'));
    expect(nextChangeAfter(weekdays9to1730, 'UTC', at('2026-12-03T18:00:00Z'))).toBe(at('2026-12-04T09:00:00Z'));
  });

  it('skips the weekend: Friday evening opens again on Monday', () => {
    expect(nextChangeAfter(weekdays9to1730, 'UTC', at('2026-12-04T18:00:00Z'))).toBe(at('2026-12-07T09:00:00Z'));
  });

  it('converts the boundary back from the zone', () => {
    expect(nextChangeAfter(weekdays9to1730, 'Europe/Paris', at('2026-12-03T12:00:00Z'))).toBe(at('2026-12-03T16:30:00Z'));
  });

  it('lands on the right hour across a change to summer time', () => {
    // Paris moves to UTC+2 on Sunday 29 March 2026: Monday's 09:00 is 07:00 UTC, Friday's was 08:00.
    expect(nextChangeAfter(weekdays9to1730, 'Europe/Paris', at('2026-03-27T18:00:00Z'))).toBe(at('2026-03-30T07:00:00Z'));
  });

  it('ignores a midnight that only continues the same opening', () => {
    const roundTheClock: BusinessHours = {
      mon: { from: '00:00', to: '24:00' },
      tue: { from: '00:00', to: '12:00' },
      wed: null,
      thu: null,
      fri: null,
      sat: null,
      sun: null,
    };
    expect(nextChangeAfter(roundTheClock, 'UTC', at('2026-11-30T10:00:00Z'))).toBe(at('2026-12-01T12:00:00Z'));
  });

  it('never changes when always open or never open', () => {
    expect(nextChangeAfter(null, 'UTC', at('2026-12-03T12:00:00Z'))).toBeNull();
    const closed = Object.fromEntries(Object.keys(weekdays9to1730).map((d) => [d, null])) as BusinessHours;
    expect(nextChangeAfter(closed, 'UTC', at('2026-12-03T12:00:00Z'))).toBeNull();
  });
});
