// Starts a worker thread from its own typed entry file, the same way for every worker (mail reader,
// WAL checkpointer, search indexer). It never builds a worker's code from source text: the entry is a real module.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker whose entry is the module `name` beside the caller (`beside` is the caller's
 * `import.meta.url`), e.g. `startWorkerThread('checkpointerWorker', import.meta.url, { workerData })`.
 *
 * In the built server (dist/server/) the caller is bundled into main.js or a chunk beside it, and each
 * worker is its own entry in that same folder, `<name>.js`: vite.config.ts lists it as an input of the
 * server build under that same name and keeps chunks out of subfolders. Under tsx or vitest the
 * caller is TypeScript beside the worker's source, which a worker thread cannot load by itself (Node
 * 20 ignores `--import tsx` in a worker's execArgv): a one-line bootstrap loads it through tsx's API,
 * found from here so that it does not depend on the directory the process was started in.
 */
export function startWorkerThread(name: string, beside: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!beside.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, beside), options);
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL(`./${name}.ts`, beside).href);
  return new Worker(`import(${tsxApi}).then(({ tsImport }) => tsImport(${entry}, ${JSON.stringify(beside)}))`, { ...options, eval: true });
}
