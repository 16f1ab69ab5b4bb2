// "Last seen" for visitors, written in batches: a returning visitor's page load must not cost a
// disk flush of its own (10,000 reconnecting widgets would otherwise mean 10,000 fsyncs).
import type { Db } from '../db';
import { touchVisitors } from './store';

const FLUSH_EVERY_MS = 5_000;

export class LastSeenRecorder {
  private pending = new Map<number, number>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly db: Db) {
    this.timer = setInterval(() => this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  seen(visitorId: number, at = Date.now()): void {
    this.pending.set(visitorId, at);
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    touchVisitors(this.db, batch);
  }

  /** Writes what is pending and stops; call before closing the database. */
  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
