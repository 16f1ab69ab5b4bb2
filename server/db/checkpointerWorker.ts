// The WAL checkpointer's thread (started by checkpointer.ts, which says why): its own connection checkpoints on a
// timer and catches up in brief pauses of the chat writes. It never waits on chat readers or writers: PASSIVE until stop.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from './backgroundThread';
import type { CheckpointerWorkerData, FromCheckpointer, ToCheckpointer } from './checkpointer';

const { path, everyMs, lowPriority } = workerData as CheckpointerWorkerData;
if (lowPriority) lowerThisThreadsPriority();

const port = parentPort!;
const send = (message: FromCheckpointer) => port.postMessage(message);

const db = new Database(path);
db.pragma('busy_timeout = 1000');

/** What one checkpoint pass saw: `log` frames in the WAL, `checkpointed` of them copied so far. */
interface CheckpointPass {
  busy: number;
  log: number;
  checkpointed: number;
}
const passive = () => (db.pragma('wal_checkpoint(PASSIVE)') as CheckpointPass[])[0]!;

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
    send('pause');
  } catch {
    // busy or locked: try again next cycle
  }
};
const timer = setInterval(cycle, everyMs);

port.on('message', (message: ToCheckpointer) => {
  if (message === 'paused') {
    try {
      passive();
    } catch {
      // the writes resume regardless
    }
    waitingForPause = false;
    send('resume');
  } else if (message === 'stop') {
    clearInterval(timer);
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // the connection closes regardless
    }
    db.close();
    send('closed');
  }
});
