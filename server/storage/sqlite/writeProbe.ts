// Storage's probeWrite in SQLite, for GET /healthz: rewrites the one `write_probe` row and commits it,
// giving up quickly when another writer holds the lock.
import { schema, withoutFsync, type Db } from '../../db';

/** The probe waits this long for another writer's lock before it calls the database not writable. */
const PROBE_BUSY_TIMEOUT_MS = 100;

/**
 * "Writable" means a commit succeeds now: SQLite's write lock is free, the file and its WAL accept
 * bytes (not read-only, disk not full). So the probe rewrites one row and commits it; a rolled-back
 * transaction would prove only the lock. It skips the fsync (the next chat batch's covers it), so a
 * probe costs a WAL page, not a disk flush.
 */
export function probeWrite(db: Db, now: number): string {
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
