// Slows password guessing on sign-in (and on password change): wrong passwords are counted per
// (address, email) and per address, and past a few free ones each further one doubles a lockout.
// Every key holds the client's address, so nobody elsewhere can lock a real agent out; memory is bounded.
import { createHash } from 'node:crypto';

export interface SignInThrottleOptions {
  /** Wrong passwords for one email from one address before its first lockout. */
  freeFailuresPerEmail: number;
  /** Wrong passwords from one address, whatever the emails, before its first lockout. */
  freeFailuresPerAddress: number;
  /** The first lockout; each further wrong password doubles it… */
  firstLockoutMs: number;
  /** …up to this. */
  maxLockoutMs: number;
  /** A key with no wrong password for this long is forgotten, backoff and all. */
  forgetAfterMs: number;
  /** Keys remembered of each kind; past it the one whose last failure is oldest is forgotten. */
  maxKeys: number;
  now: () => number;
}

export const defaultSignInThrottleOptions: SignInThrottleOptions = {
  freeFailuresPerEmail: 5,
  // An office behind one NAT address shares this budget; guessing across emails is what it stops.
  freeFailuresPerAddress: 25,
  firstLockoutMs: 1_000,
  maxLockoutMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  // Each key is a 44-character hash plus two numbers: 10,000 of each kind is about 2 MB.
  maxKeys: 10_000,
  now: Date.now,
};

/** What the throttle says about one attempt. */
export type SignInAttempt =
  | { allowed: false; retryAfterMs: number }
  | {
      allowed: true;
      /** The password was right: this email's count from this address starts again. */
      succeeded(): void;
      /** The password was never checked (the server was too busy): the attempt does not count. */
      notChecked(): void;
    };

interface FailureCount {
  failures: number;
  lastFailureAt: number;
}

/** Failure counts under one kind of key, ordered by last failure (a Map keeps insertion order). */
class FailureCounts {
  private readonly counts = new Map<string, FailureCount>();

  constructor(
    private readonly freeFailures: number,
    private readonly options: SignInThrottleOptions,
  ) {}

  get size(): number {
    return this.counts.size;
  }

  /** 0 when not locked. Lockout n (counted from 0) lasts firstLockoutMs × 2ⁿ. */
  lockedUntil(key: string, now: number): number {
    const count = this.current(key, now);
    if (!count || count.failures < this.freeFailures) return 0;
    const lockout = Math.min(this.options.maxLockoutMs, this.options.firstLockoutMs * 2 ** (count.failures - this.freeFailures));
    return count.lastFailureAt + lockout;
  }

  add(key: string, now: number): void {
    const count = this.current(key, now) ?? { failures: 0, lastFailureAt: now };
    count.failures++;
    count.lastFailureAt = now;
    // Re-inserted at the end, so the first key is always the one that failed longest ago.
    this.counts.delete(key);
    this.counts.set(key, count);
    for (const oldest of this.counts.keys()) {
      if (this.counts.size <= this.options.maxKeys) break;
      this.counts.delete(oldest);
    }
  }

  undo(key: string): void {
    const count = this.counts.get(key);
    if (count && --count.failures <= 0) this.counts.delete(key);
  }

  clear(key: string): void {
    this.counts.delete(key);
  }

  private current(key: string, now: number): FailureCount | undefined {
    const count = this.counts.get(key);
    if (count && now - count.lastFailureAt > this.options.forgetAfterMs) {
      this.counts.delete(key);
      return undefined;
    }
    return count;
  }
}

/** Keys are hashed: an address or email of any length costs the same few bytes. */
const keyOf = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('base64');

export class SignInThrottle {
  private readonly options: SignInThrottleOptions;
  private readonly perEmail: FailureCounts;
  private readonly perAddress: FailureCounts;

  constructor(options: Partial<SignInThrottleOptions> = {}) {
    this.options = { ...defaultSignInThrottleOptions, ...options };
    this.perEmail = new FailureCounts(this.options.freeFailuresPerEmail, this.options);
    this.perAddress = new FailureCounts(this.options.freeFailuresPerAddress, this.options);
  }

  /**
   * Call before checking a password. A locked key refuses without counting: a refusal checks no
   * password, so it tells the guesser nothing and costs us no hash, and counting it would let
   * someone who shares the agent's address keep them locked out for ever just by retrying.
   * An allowed attempt counts as a failure at once, so 32 guesses sent in parallel cannot all
   * pass before the first of them fails; success and notChecked() take it back.
   */
  attempt(address: string, email: string): SignInAttempt {
    const now = this.options.now();
    const emailKey = keyOf(address, email.trim().toLowerCase());
    const addressKey = keyOf(address);
    const lockedUntil = Math.max(this.perEmail.lockedUntil(emailKey, now), this.perAddress.lockedUntil(addressKey, now));
    if (lockedUntil > now) return { allowed: false, retryAfterMs: lockedUntil - now };
    this.perEmail.add(emailKey, now);
    this.perAddress.add(addressKey, now);
    return {
      allowed: true,
      // The address keeps its other failures: signing in to one account must not reset a guesser's
      // budget for all the others.
      succeeded: () => {
        this.perEmail.clear(emailKey);
        this.perAddress.undo(addressKey);
      },
      notChecked: () => {
        this.perEmail.undo(emailKey);
        this.perAddress.undo(addressKey);
      },
    };
  }

  /** Keys remembered, for the memory-bound test. */
  get size(): { perEmail: number; perAddress: number } {
    return { perEmail: this.perEmail.size, perAddress: this.perAddress.size };
  }
}
