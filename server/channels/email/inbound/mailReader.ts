// Reads inbound email off the event loop: one long-lived worker thread (mailReaderWorker.ts) takes
// one email at a time, within a time budget and a heap cap. An email that runs past either is
// given up on: the worker is terminated (a fresh one takes the next email) and the caller keeps
// the email as unreadable. Nothing a stranger mails can stall the chat sockets on the main thread.
import type { Worker } from 'node:worker_threads';
import { startWorkerThread } from '../../../workerThread';
import type { FetchedBouncePart } from './automaticMail';
import type { InboundEmail } from './parse';

export type ReadJob =
  | { kind: 'raw'; bytes: Uint8Array }
  /** Only the header block, to thread an email that could not be read whole. */
  | { kind: 'headers'; bytes: Uint8Array }
  /** Resend's JSON record of a received email, as fetched. */
  | { kind: 'resend'; bytes: Uint8Array; emailId: string; bounceParts?: FetchedBouncePart[] };

export type ReadFailure = 'malformed' | 'overLimit' | 'unreadable';

export type ReaderAnswer = { id: number; ok: true; email: InboundEmail } | { id: number; ok: false; failure: ReadFailure; message: string };

export type ReadResult = { ok: true; email: InboundEmail } | { ok: false; failure: ReadFailure; message: string };

export interface MailReaderOptions {
  /** Longest one email may take to read; then it is kept unreadable. */
  budgetMs: number;
  /** The worker's heap: 10 MB of mail takes well under 100 MB to read; a hostile one is stopped here. */
  heapMb: number;
}

export const DEFAULT_READER_OPTIONS: MailReaderOptions = { budgetMs: 5_000, heapMb: 384 };

/**
 * The budget of a header block (64 KB at most, read in milliseconds), whatever the email's budget:
 * an email that could not be read whole must still be threaded and kept.
 */
const HEADERS_BUDGET_MS = 2_000;

/** How long a fresh worker may take to load its libraries (not counted in an email's budget). */
const START_TIMEOUT_MS = 30_000;

export class MailReader {
  private worker: Promise<Worker> | null = null;
  /** Jobs run one at a time, in order: the budget of one email is never shared with another. */
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: MailReaderOptions = DEFAULT_READER_OPTIONS) {}

  /**
   * Starts the thread now rather than with the first email: that email's budget is not spent on
   * loading libraries, and the thread is not born on whatever CPU the event loop was confined to.
   */
  warm(): void {
    if (this.closed || this.worker) return;
    this.worker = this.start();
    this.worker.catch(() => (this.worker = null));
  }

  read(job: ReadJob): Promise<ReadResult> {
    const result = this.queue.then(() => this.run(job));
    this.queue = result.catch(() => {});
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await (await worker.catch(() => null))?.terminate();
  }

  private start(): Promise<Worker> {
    return new Promise((resolve, reject) => {
      const worker = startWorkerThread('mailReaderWorker', import.meta.url, { resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb } });
      // An idle reader must not keep the process alive.
      worker.unref();
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error('The mail reader did not start'));
      }, START_TIMEOUT_MS);
      worker.once('message', () => {
        clearTimeout(timer);
        resolve(worker);
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private async run(job: ReadJob): Promise<ReadResult> {
    if (this.closed) throw new Error('The mail reader is closed');
    this.worker ??= this.start();
    let worker: Worker;
    try {
      worker = await this.worker;
    } catch (err) {
      this.worker = null;
      throw err;
    }
    const id = this.nextId++;
    const budgetMs = job.kind === 'headers' ? HEADERS_BUDGET_MS : this.options.budgetMs;
    return new Promise<ReadResult>((resolve) => {
      const giveUp = (message: string) => {
        cleanUp();
        // Whatever the worker was doing is abandoned with it; the next email gets a fresh one.
        this.worker = null;
        void worker.terminate();
        resolve({ ok: false, failure: 'unreadable', message });
      };
      const timer = setTimeout(() => giveUp(`Reading took longer than ${budgetMs} ms`), budgetMs);
      const onMessage = (answer: ReaderAnswer) => {
        if (answer.id !== id) return;
        cleanUp();
        resolve(answer.ok ? { ok: true, email: answer.email } : { ok: false, failure: answer.failure, message: answer.message });
      };
      // ERR_WORKER_OUT_OF_MEMORY when the email needs more heap than the cap.
      const onError = (err: Error) => giveUp(`Reading failed: ${err.message}`);
      const onExit = () => giveUp('The mail reader stopped');
      const cleanUp = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, job });
    });
  }
}
