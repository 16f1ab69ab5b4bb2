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
      /**
       * More Parley processes of one cluster (bench/cluster.ts). Visitors are dealt to all processes in
       * turn (message n is sent by a visitor on process n % processes, the first being visitorUrl's),
       * the counting agents are spread over all of them, and the latency probe stays on agentUrl's.
       */
      otherProcesses?: { visitorUrl: string; agentUrl: string; agentHeaders: Record<string, string> }[];
    }
  | { cmd: 'step'; rate: number; seconds: number }
  /**
   * Process `process` (an index as above) is about to be killed: each of its visitors reconnects to
   * `toVisitorUrl` as soon as its socket closes, then one of them sends a message, timed to its ack
   * and to the latency probe's agent.
   */
  | { cmd: 'failover'; process: number; toVisitorUrl: string; timeoutMs: number }
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
  /** With other processes: the probe's latencies split by where the visitor was (see ProbeReport). */
  sameProcessLatencyMs?: ReturnType<typeof summarize>;
  crossProcessLatencyMs?: ReturnType<typeof summarize>;
}

/** Monotonic times (ms, comparable with the parent's monotonicMs()) of a failover; null if it never happened. */
export interface FailoverResult {
  visitors: number;
  firstClosedAt: number | null;
  allClosedAt: number | null;
  allReconnectedAt: number | null;
  reconnectFailures: number;
  /** The message sent once every visitor was back: acked, and received by the probe's agent. */
  ackedAt: number | null;
  agentReceivedAt: number | null;
}

const CONNECT_CONCURRENCY = 256;
const DRAIN_TIMEOUT_MS = 15_000;

const visitors: WebSocket[] = [];
/** Which process each visitor's socket went to (index into [visitorUrl, ...otherProcesses]), and its token. */
const visitorProcess: number[] = [];
const visitorToken: string[] = [];
let processCount = 1;
let probe: BenchProcess<ProbeCommand> | null = null;
/** The agents other than the probe's: they only count what they receive (one process per Parley process). */
let counters: BenchProcess<CounterCommand>[] = [];

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
  const processes = [
    { visitorUrl: command.visitorUrl, agentUrl: command.agentUrl, agentHeaders: command.agentHeaders },
    ...(command.otherProcesses ?? []),
  ];
  processCount = processes.length;
  const byProcess: { socket: WebSocket; token: string }[][] = processes.map(() => []);
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < command.tokens.length) {
      const index = next++;
      const token = command.tokens[index] as string;
      const target = index % processes.length;
      try {
        byProcess[target]!.push({ socket: await connectVisitor(processes[target]!.visitorUrl, command.origin, token), token });
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  // Dealt in turn, as many from each process, so that message n's visitor is on process n % processes.
  const perProcess = Math.min(...byProcess.map((list) => list.length));
  for (let i = 0; i < perProcess; i++) {
    byProcess.forEach((list, target) => {
      visitors.push(list[i]!.socket);
      visitorProcess.push(target);
      visitorToken.push(list[i]!.token);
    });
  }
  for (const list of byProcess) for (const extra of list.slice(perProcess)) extra.socket.terminate();

  // One agent socket belongs to the latency probe; the rest only count, in a process of their own.
  probe = BenchProcess.fork<ProbeCommand>('latencyProbe.ts', 1, 256);
  await probe.call({ cmd: 'connect', agentUrl: command.agentUrl, agentHeaders: command.agentHeaders });
  let connected = 0;
  for (const [target, { agentUrl, agentHeaders }] of processes.entries()) {
    // The first process's counters are one fewer: the probe's agent is there.
    const agents = Math.floor(command.agents / processes.length) - (target === 0 ? 1 : 0);
    const forProcess = BenchProcess.fork<CounterCommand>('agentCounters.ts', 1, 512);
    counters.push(forProcess);
    connected += (await forProcess.call<{ connected: number }>({ cmd: 'connect', agentUrl, agentHeaders, agents })).connected;
  }
  return {
    visitors: visitors.length,
    visitorFailures: failures,
    agents: connected + 1,
    connectAllMs: Math.round(monotonicMs() - started),
  };
}

let stepNumber = 0;
let connectOrigin = '';

async function runStep(rate: number, seconds: number): Promise<StepResult> {
  if (!probe) throw new Error('connect first');
  stepNumber++;
  const total = Math.round(rate * seconds);
  step = newStep(stepNumber, total);
  await probe.call({ cmd: 'step', step: stepNumber, total, processes: processCount });
  for (const forProcess of counters) await forProcess.call({ cmd: 'step', step: stepNumber });
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
  const slowestCounter = async () => {
    const counts = (await Promise.all(counters.map((c) => c.call<number | null>({ cmd: 'slowest' })))).filter((c) => c !== null);
    return counts.length ? Math.min(...counts) : null;
  };
  let slowest = await slowestCounter();
  for (let waits = 0; typeof slowest === 'number' && slowest < probed.received && waits < 100; waits++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    slowest = await slowestCounter();
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
    ...(probed.sameProcessLatencyMs ? { sameProcessLatencyMs: probed.sameProcessLatencyMs } : {}),
    ...(probed.crossProcessLatencyMs ? { crossProcessLatencyMs: probed.crossProcessLatencyMs } : {}),
  };
}

async function failover(command: Extract<LoadCommand, { cmd: 'failover' }>, origin: string): Promise<FailoverResult> {
  if (!probe) throw new Error('connect first');
  const moving = visitors.flatMap((_, i) => (visitorProcess[i] === command.process ? [i] : []));
  const result: FailoverResult = {
    visitors: moving.length,
    firstClosedAt: null,
    allClosedAt: null,
    allReconnectedAt: null,
    reconnectFailures: 0,
    ackedAt: null,
    agentReceivedAt: null,
  };
  const deadline = monotonicMs() + command.timeoutMs;
  // Reconnected at once, at most CONNECT_CONCURRENCY at a time (a widget waits a moment first).
  const queue: number[] = [];
  let closed = 0;
  let reconnected = 0;
  let active = 0;
  let allBack: () => void = () => {};
  const back = new Promise<void>((resolve) => (allBack = resolve));
  const pump = () => {
    while (active < CONNECT_CONCURRENCY && queue.length) {
      const i = queue.shift() as number;
      active++;
      const attempt = async (): Promise<void> => {
        try {
          visitors[i] = await connectVisitor(command.toVisitorUrl, origin, visitorToken[i] as string);
          visitorProcess[i] = -1;
          if (++reconnected === moving.length) {
            result.allReconnectedAt = monotonicMs();
            allBack();
          }
        } catch {
          result.reconnectFailures++;
          if (monotonicMs() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            return attempt();
          }
        }
      };
      void attempt().finally(() => {
        active--;
        pump();
      });
    }
  };
  for (const i of moving) {
    (visitors[i] as WebSocket).once('close', () => {
      const now = monotonicMs();
      result.firstClosedAt ??= now;
      if (++closed === moving.length) result.allClosedAt = now;
      queue.push(i);
      pump();
    });
  }
  await Promise.race([back, new Promise((resolve) => setTimeout(resolve, command.timeoutMs))]);
  if (result.allReconnectedAt === null) return result;

  // One message from a visitor that moved, to the agents on the surviving process.
  stepNumber++;
  step = newStep(stepNumber, 1);
  await probe.call({ cmd: 'step', step: stepNumber, total: 1, processes: 1 });
  const sentAt = monotonicMs();
  step.sentAt[0] = sentAt;
  const sender = visitors[moving[0] as number] as WebSocket;
  sender.send(JSON.stringify({ type: 'send', clientId: `bench${stepNumber}-0`, body: benchMessageBody(stepNumber, 0, sentAt) }));
  while (step.acked < 1 && monotonicMs() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  if (step.acked === 1) result.ackedAt = step.lastAckAt;
  const probed = await probe.call<ProbeReport>({ cmd: 'finish', timeoutMs: Math.max(0, deadline - monotonicMs()) });
  if (probed.received === 1) result.agentReceivedAt = probed.lastArrivalMs;
  return result;
}

answerCommands(async (command: LoadCommand) => {
  switch (command.cmd) {
    case 'connect':
      connectOrigin = command.origin;
      return connect(command);
    case 'step':
      return runStep(command.rate, command.seconds);
    case 'failover':
      return failover(command, connectOrigin);
    case 'close':
      await probe?.close();
      for (const forProcess of counters) await forProcess.close();
      for (const socket of visitors) socket.terminate();
      setTimeout(() => process.exit(0), 50);
      return { closed: true };
  }
});
