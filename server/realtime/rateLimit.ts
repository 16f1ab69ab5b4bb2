// Token buckets keyed by whoever is being limited (a visitor id, an IP address): a burst, then a
// steady rate. Never grows without bound: a bucket that has refilled completely carries no
// information, so it is forgotten; past `maxKeys` the oldest-created buckets go first.

export interface RateLimitOptions {
  /** Actions allowed at once, from a full bucket. 0 turns the limit off. */
  burst: number;
  /** Then this many per `perMs`, steadily. 0 turns the limit off. */
  rate: number;
  perMs: number;
  /** Most keys remembered at once (default 100,000: a few MB at worst). */
  maxKeys?: number;
  /** The clock; tests move it by hand. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
}

export class RateLimit<K> {
  private readonly buckets = new Map<K, Bucket>();
  private readonly msPerToken: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  readonly enabled: boolean;

  constructor(private readonly options: RateLimitOptions) {
    this.enabled = options.burst > 0 && options.rate > 0;
    this.msPerToken = options.perMs / Math.max(options.rate, 1);
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Takes one token for `key`: 0 if the action may go ahead, else how many ms until it may
   * (nothing is taken then, so a refused action costs the caller nothing later).
   */
  take(key: K): number {
    if (!this.enabled) return 0;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.at) / this.msPerToken);
      bucket.at = now;
    } else {
      if (this.buckets.size >= this.maxKeys) this.forgetSome(now);
      bucket = { tokens: this.options.burst, at: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) * this.msPerToken);
  }

  /** How many keys are remembered (for the memory test). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Drops every bucket that is full again, then, if a flood of distinct keys left more than 90 %
   * of `maxKeys`, the oldest-created ones: each sweep frees a tenth, so sweeps stay rare. Forgetting
   * a key only ever gives it a fresh burst: lenient, never unfair.
   */
  private forgetSome(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) / this.msPerToken >= this.options.burst) this.buckets.delete(key);
    }
    const keep = Math.floor(this.maxKeys * 0.9);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= keep) break;
      this.buckets.delete(key);
    }
  }
}
