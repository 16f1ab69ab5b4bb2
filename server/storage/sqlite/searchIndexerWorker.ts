// The search index's thread (started by searchIndexer.ts): indexes new messages on a timer, and at
// once when a search asks it to catch up. It never writes the main database (it opens it read-only),
// only the index file.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../../db/backgroundThread';
import type { FromIndexer, IndexerWorkerData, ToIndexer } from './searchIndexer';
import { batchIndexer } from './searchIndex';

const { mainPath, indexPath, batchRows, everyMs } = workerData as IndexerWorkerData;
const port = parentPort!;
const send = (message: FromIndexer) => port.postMessage(message);

lowerThisThreadsPriority();
const messages = new Database(mainPath, { readonly: true });
messages.pragma('busy_timeout = 5000');
const index = new Database(indexPath);
index.pragma('journal_mode = WAL');
index.pragma('synchronous = NORMAL'); // derived data: rebuilt from messages if a power cut loses a batch
index.pragma('busy_timeout = 5000');
// The same function the main thread uses for an in-memory database: one implementation of how messages are indexed.
const indexBatch = batchIndexer(messages, index, 'main', batchRows);
const drain = () => {
  while (indexBatch() === batchRows);
};
const tick = () => {
  try {
    drain();
  } catch (err) {
    send({ type: 'error', message: String(err) });
  }
};
const timer = setInterval(tick, everyMs);

port.on('message', (message: ToIndexer) => {
  if (message.type === 'catchUp') {
    tick();
    send({ type: 'caughtUp', id: message.id });
  } else if (message.type === 'stop') {
    clearInterval(timer);
    tick();
    messages.close();
    index.close();
    send({ type: 'stopped' });
  }
});
