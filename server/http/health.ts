// GET /healthz, for load balancers and systemd: 200 when the database takes a write and the
// background threads run, 503 naming the check that failed. No auth, so nothing in it may be secret,
// and cheap however often it is asked: one probe a second at most, the rest answered from it.
import type { Hono } from 'hono';
import { schema, withoutFsync, type Db } from '../db';

/** Answers within this long of a probe reuse it: a health check hammered in a loop writes once a second. */
const PROBE_EVERY_MS = 1_000;
/** The probe waits this long for another writer's lock before it calls the database not writable. */
const PROBE_BUSY_TIMEOUT_MS = 100;

export interface HealthReport {
  status: 'ok' | 'failing';
  /** 'ok', or why not (for the operator reading the load balancer's log). */
  checks: { database: string; workers: string };
}

/**
 * "Writable" means a commit succeeds now: SQLite's write lock is free, the file and its WAL accept
 * bytes (not read-only, disk not full). So the probe rewrites one row and commits it; a rolled-back
 * transaction would prove only the lock. It skips the fsync (the next chat batch's covers it), so a
 * probe costs a WAL page, not a disk flush.
 */
function probeWrite(db: Db, now: number): string {
  const sqlite = db.$client;
  let busyTimeout: unknown;
  try {
    busyTimeout = sqlite.pragma('busy_timeout', { simple: true });
    sqlite.pragma(`busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
    withoutFsync(db, () =>
      db
        .insert(schema.writeProbe)
        .values({ id: 1, writtenAt: now })
        .onConflictDoUpdate({ target: schema.writeProbe.id, set: { writtenAt: now } })
        .run(),
    );
    return 'ok';
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return `not writable (${typeof code === 'string' ? code : (err as Error).message})`;
  } finally {
    if (typeof busyTimeout === 'number' && sqlite.open) sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

export class Health {
  private last: { at: number; report: HealthReport } | null = null;

  /** `workers`: each background thread's name and whether it still runs. */
  constructor(
    private readonly db: Db,
    private readonly workers: Record<string, () => boolean>,
    private readonly now: () => number = Date.now,
  ) {}

  report(): HealthReport {
    const now = this.now();
    if (this.last && now - this.last.at < PROBE_EVERY_MS) return this.last.report;
    const database = probeWrite(this.db, now);
    const stopped = Object.entries(this.workers).filter(([, running]) => !running());
    const workers = stopped.length === 0 ? 'ok' : `stopped: ${stopped.map(([name]) => name).join(', ')}`;
    const report: HealthReport = { status: database === 'ok' && workers === 'ok' ? 'ok' : 'failing', checks: { database, workers } };
    this.last = { at: now, report };
    return report;
  }

  /** Mounts GET /healthz (HEAD too: some load balancers send that). */
  route(app: Hono): void {
    app.get('/healthz', (c) => {
      const report = this.report();
      c.header('Cache-Control', 'no-store');
      return c.json(report, report.status === 'ok' ? 200 : 503);
    });
  }
}
