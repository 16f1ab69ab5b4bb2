// GET /healthz, for load balancers and systemd: 200 when the database takes a write and the
// background threads run, 503 naming the check that failed. No auth, so nothing in it may be secret,
// and cheap however often it is asked: one probe a second at most, the rest answered from it.
import type { Hono } from 'hono';
import type { Storage } from '../storage';

/** Answers within this long of a probe reuse it: a health check hammered in a loop writes once a second. */
const PROBE_EVERY_MS = 1_000;
/** A database that does not answer within this long is reported as failing (a load balancer waits for us). */
const PROBE_TIMEOUT_MS = 2_000;

export interface HealthReport {
  status: 'ok' | 'failing';
  /** 'ok', or why not (for the operator reading the load balancer's log). */
  checks: { database: string; workers: string };
}

export class Health {
  private last: { at: number; report: HealthReport } | null = null;

  /** `workers`: each background thread's name and whether it still runs. */
  constructor(
    private readonly storage: Storage,
    private readonly workers: Record<string, () => boolean>,
    private readonly now: () => number = Date.now,
  ) {}

  async report(): Promise<HealthReport> {
    const now = this.now();
    if (this.last && now - this.last.at < PROBE_EVERY_MS) return this.last.report;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<string>((done) => (timer = setTimeout(() => done(`no answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS)));
    const database = await Promise.race([this.storage.probeWrite(now), timedOut]).finally(() => clearTimeout(timer));
    const stopped = Object.entries(this.workers).filter(([, running]) => !running());
    const workers = stopped.length === 0 ? 'ok' : `stopped: ${stopped.map(([name]) => name).join(', ')}`;
    const report: HealthReport = { status: database === 'ok' && workers === 'ok' ? 'ok' : 'failing', checks: { database, workers } };
    this.last = { at: now, report };
    return report;
  }

  /** Mounts GET /healthz (HEAD too: some load balancers send that). */
  route(app: Hono): void {
    app.get('/healthz', async (c) => {
      const report = await this.report();
      c.header('Cache-Control', 'no-store');
      return c.json(report, report.status === 'ok' ? 200 : 503);
    });
  }
}
