// "At most one every N ms" for chatty frames such as typing indicators, per sender.

export class Throttle<K extends object> {
  private readonly last = new WeakMap<K, number>();

  constructor(private readonly minIntervalMs: number) {}

  /** True (and remembered) if `key` may act now; false while it is still inside its interval. */
  allow(key: K, now = Date.now()): boolean {
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.minIntervalMs) return false;
    this.last.set(key, now);
    return true;
  }
}
