// The bench's latency meter: its own small process (forked by the load generator) holding one agent
// socket, timing each visitor message from the moment the load generator sent it (a timestamp in
// the message body) to the moment this agent received it. It is separate because the load generator
// holds 10,000 sockets: its garbage collector's marking steps (15–30 ms, seen with --trace-gc)
// landed on the arrival timestamps and counted as server latency. This process allocates little
// and its pauses stay well under a millisecond. Both processes read CLOCK_MONOTONIC
// (process.hrtime), which every process on the machine shares.
import type { WebSocket } from 'ws';
import { answerCommands } from './processes';
import { summarize, type SampleSummary } from './stats';
import { openSocket } from './wsClient';

export type ProbeCommand =
  | { cmd: 'connect'; agentUrl: string; agentHeaders: Record<string, string> }
  /** `processes` > 1: message n came from a visitor on process n % processes, this agent's being process 0. */
  | { cmd: 'step'; step: number; total: number; processes?: number }
  /** Wait (up to `timeoutMs`) until every message of the step arrived, then report. */
  | { cmd: 'finish'; timeoutMs: number }
  | { cmd: 'close' };

export interface ProbeReport {
  received: number;
  latencyMs: SampleSummary;
  /** Monotonic time (ms) of the last arrival: the end of the step as the agent saw it. */
  lastArrivalMs: number;
  /** With several processes: visitor on this agent's process, and on another one. */
  sameProcessLatencyMs?: SampleSummary;
  crossProcessLatencyMs?: SampleSummary;
}

/** Monotonic milliseconds, comparable between processes on one machine. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The body the load generator sends; the probe reads the step, number and send time back from it. */
export function benchMessageBody(step: number, n: number, sentAtMs: number): string {
  return `Benchmark message ${n} of step ${step} sent at ${sentAtMs.toFixed(3)}`;
}
const BODY_PATTERN = /"body":"Benchmark message (\d+) of step (\d+) sent at ([\d.]+)"/;

/** Bytes found in every bench message body of one step (and no other step's): for counting without parsing. */
export function stepMarker(step: number): Buffer {
  return Buffer.from(`of step ${step} sent at`);
}

function runProbe(): void {
  let socket: WebSocket | null = null;
  let step = { number: -1, total: 0, latencies: new Float64Array(0), received: 0, lastArrivalMs: 0, processes: 1, same: [] as number[], cross: [] as number[] };
  let whenComplete: (() => void) | null = null;

  const onFrame = (data: Buffer) => {
    const now = monotonicMs();
    const match = BODY_PATTERN.exec(data.toString());
    if (!match || Number(match[2]) !== step.number) return;
    if (step.received < step.total) {
      const latency = now - Number(match[3]);
      step.latencies[step.received++] = latency;
      if (step.processes > 1) (Number(match[1]) % step.processes === 0 ? step.same : step.cross).push(latency);
    }
    step.lastArrivalMs = now;
    if (step.received === step.total) whenComplete?.();
  };

  const handle = async (command: ProbeCommand): Promise<unknown> => {
    switch (command.cmd) {
      case 'connect': {
        const agent = await openSocket(command.agentUrl, command.agentHeaders);
        agent.on('error', () => {});
        agent.on('message', onFrame);
        socket = agent;
        return { connected: true };
      }
      case 'step':
        step = {
          number: command.step,
          total: command.total,
          latencies: new Float64Array(command.total),
          received: 0,
          lastArrivalMs: 0,
          processes: command.processes ?? 1,
          same: [],
          cross: [],
        };
        return { ready: true };
      case 'finish': {
        if (step.received < step.total) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, command.timeoutMs);
            whenComplete = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          whenComplete = null;
        }
        const report: ProbeReport = {
          received: step.received,
          latencyMs: summarize(Array.from(step.latencies.subarray(0, step.received))),
          lastArrivalMs: step.lastArrivalMs,
          ...(step.processes > 1 ? { sameProcessLatencyMs: summarize(step.same), crossProcessLatencyMs: summarize(step.cross) } : {}),
        };
        return report;
      }
      case 'close':
        socket?.terminate();
        setTimeout(() => process.exit(0), 20);
        return { closed: true };
    }
  };

  answerCommands(handle);
}

// Forked as a process (not imported for its helpers): start serving the load generator.
if (process.send && process.argv[1]?.endsWith('latencyProbe.ts')) runProbe();
