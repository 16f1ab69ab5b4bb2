// The load generator: a separate process (forked by bench/run.ts, talking over IPC) that holds
// thousands of real `ws` visitor sockets and the agent sockets, speaks the real widget and agent
// protocol and sends at a fixed offered rate. Visitor-send → agent-receive latency is timed by the
// latency probe (bench/latencyProbe.ts), a process of its own holding one of the agent sockets; the
// other agents count what they receive in another (bench/agentCounters.ts); this process times the acks.
import type { WebSocket } from 'ws';
import type { CounterCommand } from './agentCounters';
import { benchMessageBody, monotonicMs, type ProbeCommand, type ProbeReport } from './latencyProbe';
import { answerCommands, BenchProcess } from './processes';
import { summarize } from './stats';
import { openSocket } from './wsClient';

export type LoadCommand =
  | {
      cmd: 'connect';
      visitorUrl: string;
      agentUrl: string;
      tokens: string[];
      agents: number;
      agentHeaders: Record<string, string>;
      origin: string;
    }
  | { cmd: 'step'; rate: number; seconds: number }
  | { cmd: 'close' };

export interface ConnectResult {
  visitors: number;
  visitorFailures: number;
  agents: number;
  connectAllMs: number;
}

export interface StepResult {
  offeredRate: number;
  seconds: number;
  sent: number;
  acked: number;
  /** Messages the latency probe's agent socket received (every agent gets every message). */
  agentReceived: number;
  /** Lowest count any agent socket received: shows whether fan-out kept up for all 20. */
  slowestAgentReceived: number;
  achievedRate: number;
  /** Timed by the latency probe process: load generator send → probe agent receive. */
  agentLatencyMs: ReturnType<typeof summarize>;
  /** Timed in this process: send → the visitor's ack (includes this process's own pauses). */
  ackLatencyMs: ReturnType<typeof summarize>;
  /** This load generator's CPU use during the step: near 100 % means the figures are bounded by it. */
  loadCpuPercent: number;
}

const CONNECT_CONCURRENCY = 256;
const DRAIN_TIMEOUT_MS = 15_000;

const visitors: WebSocket[] = [];
let probe: BenchProcess<ProbeCommand> | null = null;
/** The agents other than the probe's: they only count what they receive. */
let counters: BenchProcess<CounterCommand> | null = null;

/**
 * State of the step in progress; the socket handlers installed at connect time write into it.
 * Preallocated arrays indexed by message number and acks matched as bytes, not parsed: this
 * process holds 10,000 sockets and every allocation brings its next garbage collection closer.
 */
let step = newStep(0, 0);

function newStep(stepNumber: number, total: number) {
  return {
    /** Every clientId of this step reads `bench<step>-<n>`; n indexes sentAt. */
    clientIdPrefix: Buffer.from(`"clientId":"bench${stepNumber}-`),
    sentAt: new Float64Array(total),
    ackLatencies: new Float64Array(total),
    acked: 0,
    lastAckAt: 0,
  };
}

const ACK_FRAME = Buffer.from('{"type":"ack"');
const DIGIT_0 = 48;

/** The message number n of an ack for `bench<step>-n` in the current step, or -1. */
function ackedMessageNumber(frame: Buffer): number {
  if (frame.compare(ACK_FRAME, 0, ACK_FRAME.length, 0, ACK_FRAME.length) !== 0) return -1;
  const at = frame.indexOf(step.clientIdPrefix);
  if (at < 0) return -1;
  let n = 0;
  let i = at + step.clientIdPrefix.length;
  for (let digit = (frame[i] ?? 0) - DIGIT_0; digit >= 0 && digit <= 9; digit = (frame[++i] ?? 0) - DIGIT_0) n = n * 10 + digit;
  return n < step.sentAt.length ? n : -1;
}

async function connectVisitor(url: string, origin: string, token: string): Promise<WebSocket> {
  const socket = await openSocket(url, { origin });
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve()); // the welcome, with this visitor's history
    socket.once('close', () => reject(new Error('closed before welcome')));
    socket.send(JSON.stringify({ type: 'hello', token }));
  });
  socket.on('error', () => {});
  socket.on('message', (data: Buffer) => {
    const n = ackedMessageNumber(data);
    if (n < 0) return;
    const now = monotonicMs();
    step.ackLatencies[step.acked++] = now - (step.sentAt[n] as number);
    step.lastAckAt = now;
  });
  return socket;
}

async function connect(command: Extract<LoadCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
  const started = monotonicMs();
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < command.tokens.length) {
      const token = command.tokens[next++] as string;
      try {
        visitors.push(await connectVisitor(command.visitorUrl, command.origin, token));
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));

  // One agent socket belongs to the latency probe; the rest only count, in a process of their own.
  probe = BenchProcess.fork<ProbeCommand>('latencyProbe.ts', 1, 256);
  await probe.call({ cmd: 'connect', agentUrl: command.agentUrl, agentHeaders: command.agentHeaders });
  counters = BenchProcess.fork<CounterCommand>('agentCounters.ts', 1, 512);
  const counting = await counters.call<{ connected: number }>({
    cmd: 'connect',
    agentUrl: command.agentUrl,
    agentHeaders: command.agentHeaders,
    agents: command.agents - 1,
  });
  return {
    visitors: visitors.length,
    visitorFailures: failures,
    agents: counting.connected + 1,
    connectAllMs: Math.round(monotonicMs() - started),
  };
}

let stepNumber = 0;

async function runStep(rate: number, seconds: number): Promise<StepResult> {
  if (!probe) throw new Error('connect first');
  stepNumber++;
  const total = Math.round(rate * seconds);
  step = newStep(stepNumber, total);
  await probe.call({ cmd: 'step', step: stepNumber, total });
  await counters?.call({ cmd: 'step', step: stepNumber });
  const started = monotonicMs();
  const cpuBefore = process.cpuUsage();
  let sent = 0;

  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((rate * (monotonicMs() - started)) / 1000));
      while (sent < due) {
        const socket = visitors[sent % visitors.length] as WebSocket;
        const sentAt = monotonicMs();
        step.sentAt[sent] = sentAt;
        socket.send(JSON.stringify({ type: 'send', clientId: `bench${stepNumber}-${sent}`, body: benchMessageBody(stepNumber, sent, sentAt) }));
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });

  const drainUntil = monotonicMs() + DRAIN_TIMEOUT_MS;
  while (step.acked < sent && monotonicMs() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const probed = await probe.call<ProbeReport>({ cmd: 'finish', timeoutMs: Math.max(0, drainUntil - monotonicMs()) });
  // The counting agents get each message at about the moment the probe does: allow them a moment more.
  let slowest = await counters?.call<number | null>({ cmd: 'slowest' });
  for (let waits = 0; typeof slowest === 'number' && slowest < probed.received && waits < 100; waits++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    slowest = await counters?.call<number | null>({ cmd: 'slowest' });
  }
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = monotonicMs() - started;
  const delivered = Math.min(step.acked, probed.received);
  const elapsed = Math.max(Math.max(step.lastAckAt, probed.lastArrivalMs) - started, seconds * 1000);
  return {
    offeredRate: rate,
    seconds,
    sent,
    acked: step.acked,
    agentReceived: probed.received,
    slowestAgentReceived: Math.min(probed.received, slowest ?? probed.received),
    achievedRate: Math.round((delivered / elapsed) * 1000),
    agentLatencyMs: probed.latencyMs,
    ackLatencyMs: summarize(Array.from(step.ackLatencies.subarray(0, step.acked))),
    loadCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
  };
}

answerCommands(async (command: LoadCommand) => {
  switch (command.cmd) {
    case 'connect':
      return connect(command);
    case 'step':
      return runStep(command.rate, command.seconds);
    case 'close':
      await probe?.close();
      await counters?.close();
      for (const socket of visitors) socket.terminate();
      setTimeout(() => process.exit(0), 50);
      return { closed: true };
  }
});
