import { describe, expect, it } from 'vitest';
import { SignInThrottle, type SignInThrottleOptions } from './signInThrottle';

const ATTACKER = '203.0.113.9';
const AGENT = '198.51.100.7';

function throttle(options: Partial<SignInThrottleOptions> = {}) {
  const clock = { now: 1_000_000 };
  const limiter = new SignInThrottle({
    freeFailuresPerEmail: 3,
    freeFailuresPerAddress: 10,
    firstLockoutMs: 1_000,
    maxLockoutMs: 8_000,
    now: () => clock.now,
    ...options,
  });
  /** A wrong password: throws if the throttle refused to even check it. */
  const fail = (address: string, email: string) => {
    const attempt = limiter.attempt(address, email);
    if (!attempt.allowed) throw new Error(`refused, retry in ${attempt.retryAfterMs} ms`);
  };
  const retryAfter = (address: string, email: string) => {
    const attempt = limiter.attempt(address, email);
    if (attempt.allowed) {
      attempt.notChecked();
      return 0;
    }
    return attempt.retryAfterMs;
  };
  return { limiter, clock, fail, retryAfter };
}

describe('sign-in throttle', () => {
  it('allows a few wrong passwords, then doubles the wait after each further one, up to the cap', () => {
    const { clock, fail, retryAfter } = throttle();
    for (let i = 0; i < 3; i++) {
      expect(retryAfter(ATTACKER, 'ada@example.com')).toBe(0);
      fail(ATTACKER, 'ada@example.com');
    }
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = retryAfter(ATTACKER, 'ada@example.com');
      waits.push(wait);
      clock.now += wait;
      fail(ATTACKER, 'ada@example.com');
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('says how long is left, and lets the attempt through once the wait is over', () => {
    const { clock, fail, retryAfter } = throttle();
    for (let i = 0; i < 3; i++) fail(ATTACKER, 'ada@example.com');
    clock.now += 400;
    expect(retryAfter(ATTACKER, 'ada@example.com')).toBe(600);
    clock.now += 600;
    expect(retryAfter(ATTACKER, 'ada@example.com')).toBe(0);
  });

  it('does not lock the same email out for someone at another address', () => {
    const { fail, retryAfter } = throttle();
    for (let i = 0; i < 3; i++) fail(ATTACKER, 'ada@example.com');
    expect(retryAfter(ATTACKER, 'ada@example.com')).toBeGreaterThan(0);
    expect(retryAfter(AGENT, 'ada@example.com')).toBe(0);
  });

  it('locks an address that guesses across many emails, whatever the email', () => {
    const { fail, retryAfter } = throttle();
    for (let i = 0; i < 10; i++) fail(ATTACKER, `user${i}@example.com`);
    expect(retryAfter(ATTACKER, 'someone-new@example.com')).toBe(1_000);
    expect(retryAfter(AGENT, 'someone-new@example.com')).toBe(0);
  });

  it('counts an attempt while its password is being checked, so parallel guesses cannot all pass', () => {
    const { limiter } = throttle();
    const burst = Array.from({ length: 32 }, () => limiter.attempt(ATTACKER, 'ada@example.com'));
    expect(burst.filter((a) => a.allowed)).toHaveLength(3);
  });

  it('does not count refused attempts, so retrying does not stretch the wait', () => {
    const { clock, fail, retryAfter } = throttle();
    for (let i = 0; i < 3; i++) fail(ATTACKER, 'ada@example.com');
    for (let i = 0; i < 50; i++) retryAfter(ATTACKER, 'ada@example.com');
    clock.now += 1_000;
    expect(retryAfter(ATTACKER, 'ada@example.com')).toBe(0);
  });

  it('starts the count again for that email after a right password, but not for the address', () => {
    const { limiter, fail, retryAfter } = throttle();
    fail(AGENT, 'ada@example.com');
    fail(AGENT, 'ada@example.com');
    const right = limiter.attempt(AGENT, 'ada@example.com');
    if (!right.allowed) throw new Error('should be allowed');
    right.succeeded();
    fail(AGENT, 'ada@example.com');
    fail(AGENT, 'ada@example.com');
    expect(retryAfter(AGENT, 'ada@example.com')).toBe(0);

    // Signing in to an account of one's own does not reset a guesser's budget for the others.
    for (let i = 0; i < 6; i++) fail(AGENT, `other${i}@example.com`);
    expect(retryAfter(AGENT, 'yet-another@example.com')).toBe(1_000);
  });

  it('forgets a key after a long quiet spell', () => {
    const { clock, fail, retryAfter } = throttle({ forgetAfterMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      fail(ATTACKER, 'ada@example.com');
      clock.now += 10_000;
    }
    clock.now += 60_001;
    for (let i = 0; i < 2; i++) fail(ATTACKER, 'ada@example.com');
    expect(retryAfter(ATTACKER, 'ada@example.com')).toBe(0);
  });

  it('remembers a bounded number of keys, forgetting the oldest failures first', () => {
    const { limiter, clock, fail, retryAfter } = throttle({ maxKeys: 100, freeFailuresPerAddress: 1_000 });
    for (let i = 0; i < 3; i++) fail(ATTACKER, 'ada@example.com');
    for (let i = 0; i < 5_000; i++) {
      clock.now += 1;
      fail(`10.0.${i >> 8}.${i & 255}`, `user${i}@example.com`);
    }
    expect(limiter.size).toEqual({ perEmail: 100, perAddress: 100 });
    expect(retryAfter(ATTACKER, 'ada@example.com')).toBe(0);
  });
});
