// How often this machine takes a CPU away from a thread that wants it, measured right before the
// millisecond-scale series: one process per CPU spins on the monotonic clock and records every gap
// between two readings (time it did not run: the host preempting the vCPU, interrupts, kernel threads,
// anything else the scheduler ran). A history p99 of a few ms cannot be read without it: on this
// 2-vCPU VM an otherwise idle machine showed gaps of 1 ms or more 1–5 times a second per CPU, and
// gaps of 5–12 ms every few seconds.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { onCpus } from './processes';

export interface CpuNoise {
  cpu: number;
  /** Gaps of 1 ms or more, per second of spinning. */
  gapsOf1msPerSecond: number;
  gapsOf5msOrMore: number;
  longestGapMs: number;
  /** Share of the spinning time the thread did not run (gaps of 0.2 ms or more), in %. */
  lostPercent: number;
}

// Runs with `node -e`: plain JavaScript, no imports, prints one JSON line.
const spinner = (seconds: number) => `
  const gaps = [];
  let last = process.hrtime.bigint();
  const end = last + ${seconds * 1e9}n;
  for (;;) {
    const now = process.hrtime.bigint();
    const gapMs = Number(now - last) / 1e6;
    if (gapMs >= 0.2) gaps.push(gapMs);
    last = now;
    if (now > end) break;
  }
  console.log(JSON.stringify(gaps));`;

function spinOn(cpu: number, seconds: number): Promise<CpuNoise> {
  const { command, args } = onCpus(String(cpu), [process.execPath, '-e', spinner(seconds)]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the noise spinner on CPU ${cpu} exited with ${code}`));
      const gaps = JSON.parse(output) as number[];
      const round = (value: number) => Math.round(value * 10) / 10;
      resolve({
        cpu,
        gapsOf1msPerSecond: round(gaps.filter((gap) => gap >= 1).length / seconds),
        gapsOf5msOrMore: gaps.filter((gap) => gap >= 5).length,
        longestGapMs: round(gaps.reduce((longest, gap) => Math.max(longest, gap), 0)),
        lostPercent: round((gaps.reduce((sum, gap) => sum + gap, 0) / (seconds * 1000)) * 100),
      });
    });
  });
}

/** Spins on every CPU at once for `seconds` (each spinner pinned to its CPU where taskset exists). */
export function measureMachineNoise(seconds: number): Promise<CpuNoise[]> {
  return Promise.all(cpus().map((_, cpu) => spinOn(cpu, seconds)));
}

export const describeNoise = (noise: CpuNoise[], seconds: number) =>
  `a thread spinning ${seconds} s on each CPU lost it for ≥ 1 ms ` +
  noise.map((n) => `${n.gapsOf1msPerSecond}×/s on CPU ${n.cpu} (${n.gapsOf5msOrMore} gaps ≥ 5 ms, longest ${n.longestGapMs} ms, ${n.lostPercent} % lost)`).join(', ');
