// Moves SQLite's WAL checkpoints off the main thread. By default the connection that commits runs
// the checkpoint (copy WAL pages into the database, fsync) inline, and with better-sqlite3's
// synchronous API that stalls every socket for tens to hundreds of milliseconds. Here a worker
// thread with its own connection, at the lowest CPU priority, checkpoints passively once a second.
//
// A passive checkpoint copies the frames that were in the WAL when it started; the WAL starts over
// only when a commit finds all of them copied. Under steady traffic a commit always lands while a
// checkpoint runs, so without more the WAL grew by about 25 KB a message, without end, and every
// commit extended the file, waiting on the filesystem journal behind the running fdatasync. So
// each cycle ends with a second, short pass during a pause of the chat writes (writePause.ts), and
// the next commit starts the WAL over.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { LOWER_THIS_THREADS_PRIORITY } from './backgroundThread';
import type { WritePause } from './writePause';

const CHECKPOINT_EVERY_MS = 1_000;
/**
 * Longest the writes wait for the short pass (copy the frames of the last moment, two fsyncs; 1–15 ms
 * in a 2,000 msg/s probe). If it takes longer the writes go on, and the WAL starts over at a later
 * cycle: with both CPUs saturated this low-priority thread may not finish in time until load drops.
 */
const MAX_WRITE_PAUSE_MS = 20;

type ToWorker = 'paused' | 'stop';
type FromWorker = 'pause' | 'resume' | 'closed';

// Runs in the worker (CommonJS eval): open, checkpoint on a timer, close when told to stop.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.lowPriority) {
${LOWER_THIS_THREADS_PRIORITY}
}
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
// { busy, log: frames in the WAL as this pass saw it, checkpointed: frames copied so far }
const passive = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
let waitingForPause = false;
const cycle = () => {
  if (waitingForPause) return;
  try {
    const first = passive();
    if (first.log === 0 || first.checkpointed < first.log) return; // empty, or a reader holds frames back
    // A second pass that finds no new frames means nothing was committed during the first: all is
    // copied and the next commit starts the WAL over. Otherwise ask for a pause and catch up in it.
    if (passive().log === first.log) return;
    waitingForPause = true;
    parentPort.postMessage('pause');
  } catch { /* busy or locked: try again next cycle */ }
};
const timer = setInterval(cycle, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'paused') {
    try { passive(); } catch { /* the writes resume regardless */ }
    waitingForPause = false;
    parentPort.postMessage('resume');
  } else if (message === 'stop') {
    clearInterval(timer);
    try { db.pragma('wal_checkpoint(TRUNCATE)'); } catch {}
    db.close();
    parentPort.postMessage('closed');
  }
});
`;

export interface Checkpointer {
  /** False once the worker thread has exited (stopped, or crashed): GET /healthz reports it. */
  running(): boolean;
  stop(): Promise<void>;
}

export interface CheckpointOptions {
  everyMs: number;
  maxWritePauseMs: number;
  /** Nice 19: the worker only gets CPU time that chat traffic leaves idle. */
  lowPriority: boolean;
}

const SERVER_OPTIONS: CheckpointOptions = { everyMs: CHECKPOINT_EVERY_MS, maxWritePauseMs: MAX_WRITE_PAUSE_MS, lowPriority: true };

export function startCheckpointer(path: string, writes: WritePause, options: CheckpointOptions = SERVER_OPTIONS): Checkpointer {
  const { everyMs, maxWritePauseMs, lowPriority } = options;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, { eval: true, workerData: { path, driver, everyMs, lowPriority } });
  worker.unref();
  let exited = false;
  worker.once('exit', () => (exited = true));
  const send = (message: ToWorker) => worker.postMessage(message);
  worker.on('message', (message: FromWorker) => {
    // This runs between two tasks of the event loop, so no transaction is open: from here until
    // 'resume' no chat batch commits, and the worker's short pass can catch up with the WAL.
    if (message === 'pause') {
      writes.pause(maxWritePauseMs);
      send('paused');
    } else if (message === 'resume') {
      writes.resume();
    }
  });
  return {
    running: () => !exited,
    stop: () =>
      new Promise<void>((done) => {
        const finish = () => {
          writes.resume();
          done();
        };
        worker.on('message', (message: FromWorker) => {
          if (message === 'closed') void worker.terminate().then(finish);
        });
        // A worker that died (or failed to open the file) must not hang shutdown.
        worker.once('error', finish);
        worker.once('exit', finish);
        send('stop');
      }),
  };
}
