// Source text for worker threads that do background database work (WAL checkpoints, search
// indexing). Linux schedules each thread on its own: at the lowest priority (nice 19) such a worker
// only gets the CPU time chat traffic leaves idle, even when every thread shares one core.
export const LOWER_THIS_THREADS_PRIORITY = `
try {
  const threadId = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(threadId, 19);
} catch { /* not Linux, or not allowed: the worker runs at normal priority */ }
`;
