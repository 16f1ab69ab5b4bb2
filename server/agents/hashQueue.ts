// Lets only a few password hashes run at once and queues the rest, so a burst of sign-ins cannot take
// every CPU and libuv thread from chat. Never queues without bound: past its depth it refuses at once.
import { availableParallelism } from 'node:os';

export class HashQueueFullError extends Error {
  constructor() {
    super('Too many sign-ins are being checked right now; try again in a moment');
  }
}

export interface HashQueueOptions {
  /** Hashes running at once. */
  concurrency: number;
  /** Hashes waiting for a slot; one more is refused with HashQueueFullError instead of waiting. */
  maxWaiting: number;
}

/**
 * scrypt runs on libuv's pool of 4 threads, which also runs the SQLite fsyncs a visitor's ack waits
 * for (db/walSync.ts), and each hash keeps a CPU busy for about 40 ms. Half the CPUs, at most 2:
 * on 2 cores one is always left to the event loop, and at least 2 pool threads to the disk.
 * 32 waiting is under 1.5 s of queue at one hash at a time.
 */
export const defaultHashQueueOptions: HashQueueOptions = {
  concurrency: Math.min(2, Math.max(1, Math.floor(availableParallelism() / 2))),
  maxWaiting: 32,
};

export class HashQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: HashQueueOptions = defaultHashQueueOptions) {}

  /** Runs `hash` once a slot is free; rejects with HashQueueFullError at once when the queue is full. */
  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.running < this.options.concurrency) this.running++;
    else if (this.waiting.length >= this.options.maxWaiting) throw new HashQueueFullError();
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the finisher hands its slot over
    try {
      return await hash();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
