// Moves SQLite's WAL checkpoints off the main thread. By default the connection that commits runs
// the checkpoint (copy WAL pages into the database, fsync) inline, and with better-sqlite3's
// synchronous API that stalls every socket for tens to hundreds of milliseconds. Here a worker
// thread with its own connection, at the lowest CPU priority, checkpoints passively once a second instead.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { LOWER_THIS_THREADS_PRIORITY } from './backgroundThread';

const CHECKPOINT_EVERY_MS = 1_000;

// Runs in the worker (CommonJS eval): open, checkpoint on a timer, close when told to stop.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
${LOWER_THIS_THREADS_PRIORITY}
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or locked: try again next tick */ }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(TRUNCATE)'); } catch {}
  db.close();
  parentPort.postMessage('closed');
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, { eval: true, workerData: { path, driver, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((done) => {
        worker.once('message', () => void worker.terminate().then(() => done()));
        // A worker that died (or failed to open the file) must not hang shutdown.
        worker.once('error', () => done());
        worker.once('exit', () => done());
        worker.postMessage('stop');
      }),
  };
}
