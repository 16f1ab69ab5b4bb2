// Starting and watching the bench's separate processes: the server under test (Parley or the
// baseline) and the load generator, each pinned to its own core when `taskset` is available.
import { spawn, spawnSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '..');
const canPin = existsSync('/usr/bin/taskset');

/**
 * BENCH_PIN_SERVER=all confines every thread of the server under test to CPU 0 (the setup until
 * 2026-11-26). By default only its event loop is: V8's garbage-collector helpers and the background
 * workers it starts may use either CPU, as on any 2-core host. Confined with the event loop, a full
 * collection's concurrent marking (about 150 ms of work for the 10,000 sockets' heap) took the one
 * core from the event loop, and every message in flight waited.
 */
const pinAllServerThreads = process.env.BENCH_PIN_SERVER === 'all';

/** The CPU of the server's event loop; everything that measures it runs on the other one, except below. */
export const SERVER_CPU = 0;
export const MEASURING_CPU = 1;

/** Where each process runs, printed with the results so the figures can be read honestly. */
export const pinning = !canPin
  ? 'no taskset: processes not pinned'
  : `${
      pinAllServerThreads
        ? `every thread of the server under test on CPU ${SERVER_CPU}`
        : `the server under test's event loop (main thread) on CPU ${SERVER_CPU}, the helper threads it starts before listening (V8's garbage collector, the checkpoint and search workers) on either CPU`
    }; the load generator, its latency probe and counting agents and Chromium on CPU ${MEASURING_CPU}; ` +
    `the client of the history and list series on CPU ${SERVER_CPU} beside the event loop (one request at a time, so one of the two always waits), ` +
    `its API history series repeated from CPU ${MEASURING_CPU} for comparison (taskset)`;

/** Moves this process (every thread: V8's collector helpers too), and every child it starts later, to `cpu`. */
export function pinThisProcess(cpu: number): void {
  if (canPin) spawnSync('taskset', ['-a', '-pc', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

/** Moves this (measuring) process, and every child it starts later, away from the server. */
export function pinMeasuringProcess(): void {
  pinThisProcess(MEASURING_CPU);
}

/** A command line that starts `argv` on the CPUs in `cpuList` (say "0" or "0-1"), through taskset where it exists. */
export function onCpus(cpuList: string, argv: string[]): { command: string; args: string[] } {
  const [command, ...args] = canPin ? ['taskset', '-c', cpuList, ...argv] : argv;
  return { command: command as string, args };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resident memory of a process, from /proc (Linux). */
export function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

/** CPU time a process has used so far, in ms (utime + stime from /proc, 100 ticks a second). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Per-CPU jiffies from /proc/stat: busy, idle and stolen (time the hypervisor gave this vCPU to someone else). */
export function cpuTimes(): { busy: number; idle: number; steal: number }[] {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number) as number[];
      return { busy: user! + nice! + system! + irq! + softirq!, idle: idle! + iowait!, steal: steal! };
    });
}

/**
 * How long a thread has waited, runnable, for a CPU (ms): the second field of Linux's
 * /proc/<pid>/task/<tid>/schedstat. The main thread's id is the process id. NaN where unreadable.
 */
export function runQueueWaitMs(pid: number, tid = pid): number {
  try {
    const [, waitNs] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
    return Number(waitNs) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/** Share of each CPU's time stolen by the hypervisor between two cpuTimes() readings, in %. */
export function stolenPercent(before: ReturnType<typeof cpuTimes>, after: ReturnType<typeof cpuTimes>): number[] {
  return after.map((end, cpu) => {
    const start = before[cpu] ?? end;
    const total = end.busy + end.idle + end.steal - (start.busy + start.idle + start.steal);
    return total > 0 ? Math.round(((end.steal - start.steal) / total) * 1000) / 10 : 0;
  });
}

/**
 * What competed with a measured series for the two CPUs: how long the server's event loop and the
 * measuring process's main thread (the client) waited, runnable, for a CPU (other threads and
 * processes had it), and how much time the hypervisor took. A millisecond-scale p99 on a 2-core
 * machine cannot be read without it.
 */
export interface CpuContention {
  serverEventLoopWaitedMs: number;
  clientWaitedMs: number;
  stolenPercentPerCpu: number[];
}

/** Starts watching CPU contention; the returned function reads what happened since. */
export function watchContention(serverPid: number): () => CpuContention {
  const serverBefore = runQueueWaitMs(serverPid);
  const clientBefore = runQueueWaitMs(process.pid);
  const cpusBefore = cpuTimes();
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return () => ({
    serverEventLoopWaitedMs: round(runQueueWaitMs(serverPid) - serverBefore),
    clientWaitedMs: round(runQueueWaitMs(process.pid) - clientBefore),
    stolenPercentPerCpu: stolenPercent(cpusBefore, cpuTimes()),
  });
}

/** Stolen time per CPU, as the bench prints it. */
export const describeStolen = (percentPerCpu: number[]) => percentPerCpu.map((p, cpu) => `CPU ${cpu} ${p} %`).join(', ');

/** Runs a node entry point (`.js`, or `.ts` through tsx) as its own process, pinned to `cpu`, until `ready` is printed. */
export async function startServerProcess(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  cpu = SERVER_CPU,
): Promise<ChildProcess> {
  // PARLEY_BENCH_PROFILE=dir writes a V8 CPU profile of the server under test there (node --cpu-prof).
  const profile = process.env.PARLEY_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PARLEY_BENCH_PROFILE}`] : [];
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  // BENCH_SERVER_NODE_FLAGS adds node flags to the server under test (say `--trace-gc`).
  const extraFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const node = [process.execPath, ...extraFlags, ...profile, ...loader, entry];
  // This (measuring) process sits on CPU 1 and children inherit that: start on every CPU, or all on `cpu`.
  const cpuList = pinAllServerThreads ? String(cpu) : `0-${cpus().length - 1}`;
  const { command, args } = onCpus(cpuList, node);
  const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolveReady();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`)));
  });
  child.removeAllListeners('exit');
  // The main thread only (no -a); threads it starts from now on (libuv's pool) inherit CPU 0.
  if (canPin && !pinAllServerThreads) spawnSync('taskset', ['-pc', String(cpu), String(child.pid)], { stdio: 'ignore' });
  return child;
}

export function stopProcess(child: ChildProcess): Promise<void> {
  // A child killed by a signal (the cluster section's SIGKILL) has no exit code, only a signal code.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/**
 * The other side of BenchProcess, inside a forked helper: answers each command from the parent with
 * `{ ok: true, result }` or `{ ok: false, error }`.
 */
export function answerCommands<Command>(handle: (command: Command) => Promise<unknown>): void {
  process.on('message', (command: Command) => {
    handle(command).then(
      (result) => process.send?.({ ok: true, result }),
      (error: unknown) => process.send?.({ ok: false, error: String(error) }),
    );
  });
}

/** A forked helper process (the load generator, the latency probe) answering typed calls over IPC, one at a time. */
export class BenchProcess<Command extends { cmd: string }> {
  private constructor(private readonly child: ChildProcess) {}

  /** Forks a bench TypeScript entry point pinned to `cpu`. `BENCH_NODE_FLAGS` adds node flags (say `--trace-gc`). */
  static fork<Command extends { cmd: string }>(file: string, cpu = MEASURING_CPU, heapMb = 4096): BenchProcess<Command> {
    const extraFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
    const child = fork(resolve(projectRoot, 'bench', file), [], {
      cwd: projectRoot,
      // A large initial old space: with V8's small default a helper that reads 180 KB responses
      // ran a full collection every ~150 ms, and its pauses were counted as the server's latency.
      execArgv: ['--import', 'tsx', `--max-old-space-size=${heapMb}`, `--initial-old-space-size=${heapMb / 2}`, ...extraFlags],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (canPin && child.pid) spawnSync('taskset', ['-pc', String(cpu), String(child.pid)], { stdio: 'ignore' });
    return new BenchProcess<Command>(child);
  }

  call<T>(command: Command): Promise<T> {
    return new Promise((resolveCall, reject) => {
      this.child.once('message', (answer: { ok: boolean; result?: T; error?: string }) =>
        answer.ok ? resolveCall(answer.result as T) : reject(new Error(answer.error)),
      );
      this.child.send(command);
    });
  }

  async close(): Promise<void> {
    await this.call({ cmd: 'close' } as Command).catch(() => {});
    await stopProcess(this.child);
  }
}
