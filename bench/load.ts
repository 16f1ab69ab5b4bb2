// The load generator: a separate process (forked by bench/run.ts, talking over IPC) that holds
// thousands of real `ws` visitor sockets and the agent sockets, speaks the real widget and agent
// protocol, sends at a fixed offered rate and measures visitor-send → agent-receive latency.
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { summarize } from './stats';

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
  /** Messages the measuring agent received (every agent gets every message). */
  agentReceived: number;
  /** Lowest count any agent socket received: shows whether fan-out kept up for all 20. */
  slowestAgentReceived: number;
  achievedRate: number;
  agentLatencyMs: ReturnType<typeof summarize>;
  ackLatencyMs: ReturnType<typeof summarize>;
  /** This load generator's CPU use during the step: near 100 % means the figures are bounded by it. */
  loadCpuPercent: number;
}

const CONNECT_CONCURRENCY = 256;
const DRAIN_TIMEOUT_MS = 15_000;

const visitors: WebSocket[] = [];
const agentSockets: WebSocket[] = [];
const agentCounts: number[] = [];

/** State of the step in progress; the socket handlers installed at connect time write into it. */
let step = {
  sentAt: new Map<string, number>(),
  ackLatencies: [] as number[],
  agentLatencies: [] as number[],
  acked: 0,
  received: 0,
  lastEventAt: 0,
};

function reply(message: unknown): void {
  process.send?.(message);
}

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function connectVisitor(url: string, origin: string, token: string): Promise<WebSocket> {
  const socket = await openSocket(url, { origin });
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve()); // the welcome, with this visitor's history
    socket.once('close', () => reject(new Error('closed before welcome')));
    socket.send(JSON.stringify({ type: 'hello', token }));
  });
  socket.on('error', () => {});
  socket.on('message', (data) => {
    const text = data.toString();
    if (!text.startsWith('{"type":"ack"')) return;
    const { clientId } = JSON.parse(text) as { clientId: string };
    const sentAt = step.sentAt.get(clientId);
    if (sentAt === undefined) return;
    const now = performance.now();
    step.ackLatencies.push(now - sentAt);
    step.acked++;
    step.lastEventAt = now;
  });
  return socket;
}

async function connect(command: Extract<LoadCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
  const started = performance.now();
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

  for (let i = 0; i < command.agents; i++) {
    const socket = await openSocket(command.agentUrl, command.agentHeaders);
    const index = agentSockets.push(socket) - 1;
    agentCounts[index] = 0;
    socket.on('error', () => {});
    socket.on('message', (data) => {
      agentCounts[index]!++;
      // Only the first agent parses frames for latency; the others just count, so the load
      // generator spends its one core on sending rather than on decoding 20 copies.
      if (index !== 0) return;
      const text = data.toString();
      if (!text.startsWith('{"type":"message"')) return;
      const frame = JSON.parse(text) as { message: { clientId: string | null } };
      const sentAt = frame.message.clientId ? step.sentAt.get(frame.message.clientId) : undefined;
      if (sentAt === undefined) return;
      const now = performance.now();
      step.agentLatencies.push(now - sentAt);
      step.received++;
      step.lastEventAt = now;
    });
  }
  return {
    visitors: visitors.length,
    visitorFailures: failures,
    agents: agentSockets.length,
    connectAllMs: Math.round(performance.now() - started),
  };
}

let stepNumber = 0;

async function runStep(rate: number, seconds: number): Promise<StepResult> {
  stepNumber++;
  step = { sentAt: new Map(), ackLatencies: [], agentLatencies: [], acked: 0, received: 0, lastEventAt: 0 };
  agentCounts.fill(0);
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let sent = 0;

  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((rate * (performance.now() - started)) / 1000));
      while (sent < due) {
        const socket = visitors[sent % visitors.length] as WebSocket;
        const clientId = `bench${stepNumber}-${sent}`;
        step.sentAt.set(clientId, performance.now());
        socket.send(JSON.stringify({ type: 'send', clientId, body: `Benchmark message ${sent} at ${rate}/s` }));
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });

  const drainUntil = performance.now() + DRAIN_TIMEOUT_MS;
  while ((step.acked < sent || step.received < sent) && performance.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - started;
  const delivered = Math.min(step.acked, step.received);
  const elapsed = Math.max(step.lastEventAt - started, seconds * 1000);
  return {
    offeredRate: rate,
    seconds,
    sent,
    acked: step.acked,
    agentReceived: step.received,
    slowestAgentReceived: Math.min(...agentCounts),
    achievedRate: Math.round((delivered / elapsed) * 1000),
    agentLatencyMs: summarize(step.agentLatencies),
    ackLatencyMs: summarize(step.ackLatencies),
    loadCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
  };
}

process.on('message', (command: LoadCommand) => {
  const run = async () => {
    switch (command.cmd) {
      case 'connect':
        return connect(command);
      case 'step':
        return runStep(command.rate, command.seconds);
      case 'close':
        for (const socket of [...visitors, ...agentSockets]) socket.terminate();
        setTimeout(() => process.exit(0), 50);
        return { closed: true };
    }
  };
  run().then(
    (result) => reply({ ok: true, result }),
    (error: unknown) => reply({ ok: false, error: String(error) }),
  );
});
