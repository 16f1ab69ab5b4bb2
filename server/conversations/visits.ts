// When visitors were last connected and on which page, written in batches: a returning visitor's
// page load must not cost a disk flush of its own (10,000 reconnecting widgets would otherwise
// mean 10,000 fsyncs). Readers merge `pending()` so the inbox never shows stale values.
import type { Storage, Visit } from '../storage';

export type { Visit };

const FLUSH_EVERY_MS = 5_000;

export class VisitRecorder {
  private waiting = new Map<number, Visit>();
  /** The batch being written: still what readers see until it is stored. */
  private writing = new Map<number, Visit>();
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly storage: Storage) {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Records a visit; page fields left null keep what was recorded before. */
  seen(visitorId: number, visit: Partial<Visit> = {}): void {
    const earlier = this.pending(visitorId);
    this.waiting.set(visitorId, {
      at: visit.at ?? Date.now(),
      pageUrl: visit.pageUrl ?? earlier?.pageUrl ?? null,
      referrer: visit.referrer ?? earlier?.referrer ?? null,
      userAgent: visit.userAgent ?? earlier?.userAgent ?? null,
    });
  }

  /** What is recorded but not yet written for this visitor. */
  pending(visitorId: number): Visit | undefined {
    return this.waiting.get(visitorId) ?? this.writing.get(visitorId);
  }

  /** Writes what is waiting, one batch at a time; best effort (a failed batch is logged and dropped). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.waiting.size === 0) return;
      this.writing = this.waiting;
      this.waiting = new Map();
      try {
        await this.storage.conversations.recordVisits(this.writing);
      } catch (err) {
        console.warn('[parley] could not record visits:', err instanceof Error ? err.message : err);
      } finally {
        this.writing = new Map();
      }
    });
    return this.flushing;
  }

  /** Writes what is pending and stops; call before closing the database. */
  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.flush();
  }
}
