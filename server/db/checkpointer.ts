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
import { startWorkerThread } from '../workerThread';
import type { WritePause } from './writePause';

const CHECKPOINT_EVERY_MS = 1_000;
/**
 * Longest the writes wait for the short pass (copy the frames of the last moment, two fsyncs; 1–15 ms
 * in a 2,000 msg/s probe). If it takes longer the writes go on, and the WAL starts over at a later
 * cycle: with both CPUs saturated this low-priority thread may not finish in time until load drops.
 */
const MAX_WRITE_PAUSE_MS = 20;

/** What the checkpointer thread (checkpointerWorker.ts) is started with. */
export interface CheckpointerWorkerData {
  path: string;
  everyMs: number;
  lowPriority: boolean;
}
/** To the thread: the chat writes are paused now (it may catch up), or close the connection. */
export type ToCheckpointer = 'paused' | 'stop';
/** From the thread: pause the chat writes, resume them, the connection is closed. */
export type FromCheckpointer = 'pause' | 'resume' | 'closed';

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
  const workerData: CheckpointerWorkerData = { path, everyMs, lowPriority };
  const worker = startWorkerThread('checkpointerWorker', import.meta.url, { workerData });
  worker.unref();
  let exited = false;
  worker.once('exit', () => (exited = true));
  const send = (message: ToCheckpointer) => worker.postMessage(message);
  worker.on('message', (message: FromCheckpointer) => {
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
        worker.on('message', (message: FromCheckpointer) => {
          if (message === 'closed') void worker.terminate().then(finish);
        });
        // A worker that died (or failed to open the file) must not hang shutdown.
        worker.once('error', finish);
        worker.once('exit', finish);
        send('stop');
      }),
  };
}
