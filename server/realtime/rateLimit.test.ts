import { describe, expect, it } from 'vitest';
import { RateLimit } from './rateLimit';

/** 3 at once, then one every 2 s (30 a minute), on a clock the test moves. */
function limit(overrides: { burst?: number; rate?: number; maxKeys?: number } = {}) {
  const clock = { now: 1_000_000 };
  const rateLimit = new RateLimit<string>({ burst: 3, rate: 30, perMs: 60_000, now: () => clock.now, ...overrides });
  return { rateLimit, clock };
}

describe('rate limit', () => {
  it('allows a burst, then refuses with the wait until the next action is allowed', () => {
    const { rateLimit } = limit();
    expect([rateLimit.take('a'), rateLimit.take('a'), rateLimit.take('a')]).toEqual([0, 0, 0]);
    expect(rateLimit.take('a')).toBe(2000);
  });

  it('allows the steady rate once the burst is spent, and tells how much of the wait is left', () => {
    const { rateLimit, clock } = limit();
    for (let i = 0; i < 3; i++) rateLimit.take('a');
    clock.now += 500;
    expect(rateLimit.take('a')).toBe(1500);
    clock.now += 1500;
    expect(rateLimit.take('a')).toBe(0);
    expect(rateLimit.take('a')).toBe(2000);
  });

  it('refills to the burst, not beyond, after a quiet spell', () => {
    const { rateLimit, clock } = limit();
    for (let i = 0; i < 3; i++) rateLimit.take('a');
    clock.now += 3_600_000;
    expect([rateLimit.take('a'), rateLimit.take('a'), rateLimit.take('a'), rateLimit.take('a')]).toEqual([0, 0, 0, 2000]);
  });

  it('keeps each key to its own bucket', () => {
    const { rateLimit } = limit({ burst: 1 });
    expect(rateLimit.take('a')).toBe(0);
    expect(rateLimit.take('a')).toBeGreaterThan(0);
    expect(rateLimit.take('b')).toBe(0);
  });

  it('is off when the burst or the rate is 0', () => {
    for (const off of [limit({ burst: 0 }), limit({ rate: 0 })]) {
      for (let i = 0; i < 1000; i++) expect(off.rateLimit.take('a')).toBe(0);
      expect(off.rateLimit.size).toBe(0);
    }
  });

  it('remembers at most maxKeys keys, however many come, and still limits the busy ones', () => {
    const { rateLimit } = limit({ burst: 1, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) rateLimit.take(`flood-${i}`);
    expect(rateLimit.size).toBeLessThanOrEqual(100);
    rateLimit.take('busy');
    expect(rateLimit.take('busy')).toBeGreaterThan(0);
  });

  it('forgets buckets that have refilled before busy ones, even older busy ones', () => {
    const { rateLimit, clock } = limit({ burst: 1, maxKeys: 10 });
    rateLimit.take('busy'); // the oldest key
    clock.now += 1000;
    for (let i = 0; i < 9; i++) rateLimit.take(`idle-${i}`);
    clock.now += 2000;
    expect(rateLimit.take('busy')).toBe(0); // busy again; the idle ones have just refilled
    clock.now += 500;
    rateLimit.take('newcomer'); // an eleventh key: something must go
    expect(rateLimit.take('busy')).toBe(1500);
  });
});
