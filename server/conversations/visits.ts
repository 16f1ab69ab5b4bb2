// When visitors were last connected and on which page, written in batches: a returning visitor's
// page load must not cost a disk flush of its own (10,000 reconnecting widgets would otherwise
// mean 10,000 fsyncs). Readers merge `pending()` so the inbox never shows stale values.
import type { Storage, Visit } from '../storage';

export type { Visit };

const FLUSH_EVERY_MS = 5_000;

export class VisitRecorder {
  private waiting = new Map<number, Visit>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly storage: Storage) {
    this.timer = setInterval(() => this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Records a visit; page fields left null keep what was recorded before. */
  seen(visitorId: number, visit: Partial<Visit> = {}): void {
    const earlier = this.waiting.get(visitorId);
    this.waiting.set(visitorId, {
      at: visit.at ?? Date.now(),
      pageUrl: visit.pageUrl ?? earlier?.pageUrl ?? null,
      referrer: visit.referrer ?? earlier?.referrer ?? null,
      userAgent: visit.userAgent ?? earlier?.userAgent ?? null,
    });
  }

  /** What is recorded but not yet written for this visitor. */
  pending(visitorId: number): Visit | undefined {
    return this.waiting.get(visitorId);
  }

  flush(): void {
    if (this.waiting.size === 0) return;
    const batch = this.waiting;
    this.waiting = new Map();
    this.storage.conversations.recordVisits(batch);
  }

  /** Writes what is pending and stops; call before closing the database. */
  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
