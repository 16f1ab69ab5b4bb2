// Lowers a worker thread that does background work (WAL checkpoints, search indexing, reading inbound
// mail) to the lowest CPU priority. Never call it on the main thread: the event loop would get only idle CPU.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/**
 * Nice 19 for the calling worker thread only. Linux schedules each thread on its own: at the lowest
 * priority such a worker only gets the CPU time chat traffic leaves idle, even when every thread
 * shares one core.
 */
export function lowerThisThreadsPriority(): void {
  if (isMainThread) throw new Error('lowerThisThreadsPriority() is for worker threads, not the event loop');
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
  } catch {
    // not Linux, or not allowed: the worker runs at normal priority
  }
}
