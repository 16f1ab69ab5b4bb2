// `npm run bench -- --cluster [--quick]`: Parley on SQLite in one process beside Parley on PostgreSQL
// + Redis in one and in two processes, on the same seeded inbox and in the same run. For each setup:
// saturation (offered rate stepped up until delivery falls behind), visitor send → agent receive at
// 500, 1,000 and 2,000 msg/s (in two processes split by whether the visitor was on the agent's process),
// CPU per message summed over every Parley process, PostgreSQL (the postmaster and its backends) and
// Redis, history and list latency while idle, and in two processes the recovery after one is killed.
// The load generator, latency probe, counting agents and history client are the main bench's.
// Figures are printed, never asserted.
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AGENT_SOCKET_PATH, VISITOR_SOCKET_PATH } from '../shared/limits';
import { ensureServicePackages, startPostgres, startRedis } from '../scripts/testServices';
import type { HistoryAndListResults, HistoryCommand } from './historyAndList';
import { monotonicMs } from './latencyProbe';
import type { ConnectResult, FailoverResult, LoadCommand, StepResult } from './load';
import {
  BenchProcess,
  cpuMs,
  cpuTimes,
  describeStolen,
  freePort,
  MEASURING_CPU,
  pinMeasuringProcess,
  projectRoot,
  SERVER_CPU,
  startServerProcess,
  stopProcess,
  watchContention,
} from './processes';
import { seedDatabase, signInAsBenchAdmin } from './seed';
import { copyDatabase, copySeedToPostgres } from './seedPostgres';
import type { SampleSummary } from './stats';

const quick = process.argv.includes('--quick');
const log = (line: string) => console.log(`  ${line}`);

const plan = {
  sockets: 2_000,
  agents: 20,
  conversations: 20_000,
  stepSeconds: quick ? 2 : 5,
  /** Up to saturation: 500, 1,000 and 2,000 are the reported ones, 250 shows a setup that cannot take 500. */
  rates: quick ? [100, 250, 500, 1_000, 2_000, 4_000, 8_000] : [100, 250, 500, 1_000, 2_000, 3_000, 4_000, 6_000, 8_000, 10_000],
};
export const REPORTED_RATES = [500, 1_000, 2_000];
/** A step whose achieved rate falls below this share of the offered rate means the setup saturated. */
const SATURATED_BELOW = 0.85;
/** The recovery series gives up after this long. */
const FAILOVER_TIMEOUT_MS = 60_000;

type SetupName = 'sqlite' | 'pg1' | 'pg2';
const SETUP_LABELS: Record<SetupName, string> = {
  sqlite: 'SQLite × 1',
  pg1: 'PostgreSQL + Redis × 1',
  pg2: 'PostgreSQL + Redis × 2',
};

/**
 * CPU time (ms) per delivered message, by who spent it: beyond what the setup spends with every socket
 * connected and nothing sent (heartbeats, presence leases), which is measured before the steps.
 */
export interface CpuPerMessage {
  parley: number;
  postgres: number;
  redis: number;
  total: number;
  /** The same total with the idle cost left in. */
  totalWithIdle: number;
}

export type ClusterStep = StepResult & {
  cpuMsPerMessage: CpuPerMessage;
  /** Share of each CPU the hypervisor stole during the step, in %. */
  stolenPercentPerCpu: number[];
  /**
   * The machine's busy time during the step (both CPUs, from /proc/stat) beside what the setup under
   * test used, in % of one CPU: the rest is the bench's own clients and anything else on the machine.
   */
  machineBusyPercent: number;
  setupCpuPercent: number;
  /** /proc/loadavg's one-minute figure at the end of the step. */
  loadAverage: number;
  saturated: boolean;
};

export interface SetupResult {
  setup: SetupName;
  label: string;
  processes: number;
  connect: ConnectResult;
  /** CPU the setup used, in % of one CPU, with every socket connected and no message sent. */
  idleCpuPercent: { parley: number; postgres: number; redis: number };
  steps: ClusterStep[];
  saturationRate: number;
  /** The first offered rate the setup did not keep up with (null: kept up with every step). */
  saturatedAt: number | null;
  history: Pick<HistoryAndListResults, 'historyLoads' | 'listRequests'> & {
    agentHistory: SampleSummary;
    listFirstPage: SampleSummary;
    listDeepPage: SampleSummary;
  };
  /** Two processes only: the second one SIGKILLed, its visitors reconnecting to the first (ms after the kill). */
  recovery?: {
    visitors: number;
    reconnectFailures: number;
    allClosedMs: number | null;
    allReconnectedMs: number | null;
    ackedMs: number | null;
    agentReceivedMs: number | null;
  };
}

/** Pids of a running setup, read again at every sample (PostgreSQL starts a backend per connection). */
interface Services {
  parley: () => number[];
  postgres: () => number[];
  redis: () => number[];
}

/** The process ids whose parent is `ppid` (Linux /proc). */
function childrenOf(ppid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      if (Number(fields[1]) === ppid) children.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return children;
}

type CpuSample = Record<keyof Services, Map<number, number>>;

/** Busy time of every CPU together so far, in ms (/proc/stat, 100 ticks a second). */
const machineBusyMs = () => cpuTimes().reduce((sum, cpu) => sum + cpu.busy, 0) * 10;

function sampleCpu(services: Services): CpuSample {
  const read = (pids: number[]) => {
    const times = new Map<number, number>();
    for (const pid of pids) {
      try {
        times.set(pid, cpuMs(pid));
      } catch {
        // a backend that just exited
      }
    }
    return times;
  };
  return { parley: read(services.parley()), postgres: read(services.postgres()), redis: read(services.redis()) };
}

/** CPU ms spent between two samples, by group: a process first seen in `after` counts from zero. */
function cpuSpent(before: CpuSample, after: CpuSample): Record<keyof Services, number> {
  const spent = (group: keyof Services) => {
    let sum = 0;
    for (const [pid, ms] of after[group]) sum += ms - (before[group].get(pid) ?? 0);
    return sum;
  };
  return { parley: spent('parley'), postgres: spent('postgres'), redis: spent('redis') };
}

interface RunningSetup {
  name: SetupName;
  /** Parley processes: the first holds the latency probe's agent. */
  servers: { child: ChildProcess; port: number }[];
  services: Services;
}

async function startParleys(name: SetupName, env: Record<string, string>, count: number, dir: string): Promise<RunningSetup['servers']> {
  const servers: RunningSetup['servers'] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    // `tsx server/main.ts`, as the brief of this section has it: the same entry for every setup.
    const child = await startServerProcess(
      'server/main.ts',
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        PARLEY_DB: env.PARLEY_DB ?? join(dir, `${name}-${i}`, 'parley.db'),
        // As in the main bench: the visitor limits off, 2,000 visitor sockets from one address.
        PARLEY_LIMIT_MESSAGE_BURST: '0',
        PARLEY_LIMIT_MESSAGES_PER_MINUTE: '0',
        PARLEY_LIMIT_NEW_VISITORS_PER_MINUTE: '0',
        PARLEY_LIMIT_SOCKETS_PER_IP: '0',
        PARLEY_LIMIT_IDENTIFY_PER_HOUR: '0',
        ...env,
      },
      /Parley is running/,
      // Each process's event loop on a CPU of its own: the first beside the history client, as in the main bench.
      i === 0 ? SERVER_CPU : MEASURING_CPU,
    );
    servers.push({ child, port });
  }
  return servers;
}

async function measureSetup(
  running: RunningSetup,
  seed: { tokens: string[]; bigConversationId: number; bigConversationToken: string },
): Promise<SetupResult> {
  const label = SETUP_LABELS[running.name];
  const [first, ...others] = running.servers;
  if (!first) throw new Error('no server');
  const url = (port: number) => `http://127.0.0.1:${port}`;

  // History and list first, on an idle server, from the main bench's client.
  const historyClient = BenchProcess.fork<HistoryCommand>('historyAndList.ts', SERVER_CPU, 512);
  let history: HistoryAndListResults;
  try {
    history = await historyClient.call<HistoryAndListResults>({
      cmd: 'measure',
      options: {
        quick,
        serverUrl: url(first.port),
        port: first.port,
        bigConversationId: seed.bigConversationId,
        bigConversationToken: seed.bigConversationToken,
        serverPid: first.child.pid as number,
      },
    });
  } finally {
    await historyClient.close();
  }
  log(
    `${label}: history (1,000 messages, API) p50 ${history.agentHistory.p50} p99 ${history.agentHistory.p99} ms; ` +
      `list first page p50 ${history.listFirstPage.p50} p99 ${history.listFirstPage.p99} ms, deep page p99 ${history.listDeepPage.p99} ms`,
  );

  const cookie = await signInAsBenchAdmin(url(first.port));
  const load = BenchProcess.fork<LoadCommand>('load.ts');
  try {
    const socketUrls = (port: number) => ({
      visitorUrl: `ws://127.0.0.1:${port}${VISITOR_SOCKET_PATH}`,
      agentUrl: `ws://127.0.0.1:${port}${AGENT_SOCKET_PATH}`,
    });
    const connect = await load.call<ConnectResult>({
      cmd: 'connect',
      ...socketUrls(first.port),
      tokens: seed.tokens,
      agents: plan.agents,
      agentHeaders: { cookie, origin: url(first.port) },
      origin: 'http://127.0.0.1:9',
      // The session is in the shared database; each process checks the Origin against its own address.
      ...(others.length
        ? { otherProcesses: others.map((server) => ({ ...socketUrls(server.port), agentHeaders: { cookie, origin: url(server.port) } })) }
        : {}),
    });
    log(`${label}: ${connect.visitors} visitor sockets (+${connect.agents} agents) in ${connect.connectAllMs} ms`);

    // What the setup costs with every socket connected and no message: subtracted from each step's CPU.
    // After a pause: connecting leaves work behind (visit records are written in batches every 5 s).
    await new Promise((done) => setTimeout(done, 6_000));
    const idleBefore = sampleCpu(running.services);
    const idleStarted = Date.now();
    await new Promise((done) => setTimeout(done, plan.stepSeconds * 1000));
    const idleSpent = cpuSpent(idleBefore, sampleCpu(running.services));
    const idleMs = Date.now() - idleStarted;
    const idlePerMs = { parley: idleSpent.parley / idleMs, postgres: idleSpent.postgres / idleMs, redis: idleSpent.redis / idleMs };
    const idleCpuPercent = {
      parley: Math.round(idlePerMs.parley * 100),
      postgres: Math.round(idlePerMs.postgres * 100),
      redis: Math.round(idlePerMs.redis * 100),
    };
    log(`${label}: idle, every socket connected: Parley ${idleCpuPercent.parley} %, PostgreSQL ${idleCpuPercent.postgres} %, Redis ${idleCpuPercent.redis} % of one CPU`);

    const steps: ClusterStep[] = [];
    for (const rate of plan.rates) {
      const cpuBefore = sampleCpu(running.services);
      const busyBefore = machineBusyMs();
      const stepStarted = Date.now();
      const contention = watchContention(first.child.pid as number);
      const result = await load.call<StepResult>({ cmd: 'step', rate, seconds: plan.stepSeconds });
      const spent = cpuSpent(cpuBefore, sampleCpu(running.services));
      const wallMs = Date.now() - stepStarted;
      const machineBusyPercent = Math.round(((machineBusyMs() - busyBefore) / wallMs) * 100);
      const setupCpuPercent = Math.round(((spent.parley + spent.postgres + spent.redis) / wallMs) * 100);
      const loadAverage = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
      const { stolenPercentPerCpu } = contention();
      const delivered = Math.max(1, Math.min(result.acked, result.agentReceived));
      const perMessage = (ms: number) => Math.round((ms / delivered) * 1000) / 1000;
      const beyondIdle = (group: keyof Services) => Math.max(0, spent[group] - idlePerMs[group] * wallMs);
      const cpuMsPerMessage: CpuPerMessage = {
        parley: perMessage(beyondIdle('parley')),
        postgres: perMessage(beyondIdle('postgres')),
        redis: perMessage(beyondIdle('redis')),
        total: perMessage(beyondIdle('parley') + beyondIdle('postgres') + beyondIdle('redis')),
        totalWithIdle: perMessage(spent.parley + spent.postgres + spent.redis),
      };
      const saturated = result.achievedRate < rate * SATURATED_BELOW;
      steps.push({ ...result, cpuMsPerMessage, stolenPercentPerCpu, machineBusyPercent, setupCpuPercent, loadAverage, saturated });
      const split = result.sameProcessLatencyMs
        ? ` (visitor on the agent's process p50 ${result.sameProcessLatencyMs.p50} p99 ${result.sameProcessLatencyMs.p99}, ` +
          `on the other p50 ${result.crossProcessLatencyMs?.p50} p99 ${result.crossProcessLatencyMs?.p99})`
        : '';
      log(
        `${label} @ ${rate}/s: achieved ${result.achievedRate}/s${saturated ? ' SATURATED' : ''}, agent latency p50 ${result.agentLatencyMs.p50} p99 ${result.agentLatencyMs.p99} ms${split}; ` +
          `CPU per message ${cpuMsPerMessage.total} ms (Parley ${cpuMsPerMessage.parley}, PostgreSQL ${cpuMsPerMessage.postgres}, Redis ${cpuMsPerMessage.redis}); ` +
          `CPU busy: setup ${setupCpuPercent} %, whole machine ${machineBusyPercent} % of one CPU (load generator ${result.loadCpuPercent} %), load average ${loadAverage}; ` +
          `stolen ${describeStolen(stolenPercentPerCpu)}`,
      );
      if (saturated) break;
    }

    let recovery: SetupResult['recovery'];
    if (others.length) {
      // A saturated step leaves a backlog the server is still storing: trickle until a message goes
      // through at once again (messages are committed in arrival order, so a trickle waits behind it).
      for (let tries = 0; tries < 4; tries++) {
        const trickle = await load.call<StepResult>({ cmd: 'step', rate: 20, seconds: 1 });
        if (trickle.agentLatencyMs.max < 1_000) break;
      }
      const victim = others[others.length - 1] as RunningSetup['servers'][number];
      const failover = load.call<FailoverResult>({
        cmd: 'failover',
        process: running.servers.length - 1,
        toVisitorUrl: socketUrls(first.port).visitorUrl,
        timeoutMs: FAILOVER_TIMEOUT_MS,
      });
      // The load generator has the command (and its close listeners) well before the kill.
      await new Promise((done) => setTimeout(done, 500));
      const killedAt = monotonicMs();
      victim.child.kill('SIGKILL');
      const r = await failover;
      const after = (at: number | null) => (at === null ? null : Math.round(at - killedAt));
      recovery = {
        visitors: r.visitors,
        reconnectFailures: r.reconnectFailures,
        allClosedMs: after(r.allClosedAt),
        allReconnectedMs: after(r.allReconnectedAt),
        ackedMs: after(r.ackedAt),
        agentReceivedMs: after(r.agentReceivedAt),
      };
      log(
        `${label}: SIGKILL of process 2: its ${r.visitors} visitors' sockets all closed after ${recovery.allClosedMs} ms, ` +
          `all reconnected to process 1 after ${recovery.allReconnectedMs} ms (${r.reconnectFailures} failed attempts); ` +
          `a message from one acked after ${recovery.ackedMs} ms, at an agent after ${recovery.agentReceivedMs} ms`,
      );
    }

    return {
      setup: running.name,
      label,
      processes: running.servers.length,
      connect,
      idleCpuPercent,
      steps,
      saturationRate: Math.max(0, ...steps.map((s) => s.achievedRate)),
      saturatedAt: steps.find((s) => s.saturated)?.offeredRate ?? null,
      history: {
        historyLoads: history.historyLoads,
        listRequests: history.listRequests,
        agentHistory: history.agentHistory,
        listFirstPage: history.listFirstPage,
        listDeepPage: history.listDeepPage,
      },
      ...(recovery ? { recovery } : {}),
    };
  } finally {
    await load.close();
  }
}

async function stopSetup(running: RunningSetup): Promise<void> {
  for (const server of running.servers) await stopProcess(server.child);
}

export async function runClusterBench(): Promise<void> {
  const started = Date.now();
  console.log(
    `Parley bench, several processes${quick ? ' (quick)' : ''}: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
  );
  ensureServicePackages();
  // Before this process moves to the measuring CPU: PostgreSQL and Redis may run on either CPU.
  // Durable, as SQLite is: fsync, synchronous_commit and full_page_writes on (PostgreSQL's defaults).
  const postgres = await startPostgres({ durable: true });
  const redis = await startRedis();
  pinMeasuringProcess();
  console.log(
    `Pinning: each Parley process's event loop on a CPU of its own (the first on CPU ${SERVER_CPU}, the second on CPU ${MEASURING_CPU}), ` +
      `its other threads, PostgreSQL and Redis on either CPU; the load generator, latency probe and counting agents on CPU ${MEASURING_CPU}, ` +
      `the history client on CPU ${SERVER_CPU}.`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'parley-cluster-bench-'));
  const results: SetupResult[] = [];
  try {
    console.log('\nSeeding…');
    const dbPath = join(dir, 'parley.db');
    const seed = await seedDatabase(dbPath, { conversations: plan.conversations, messagesInBigConversation: 1_000, visitorsWithTokens: plan.sockets });
    const copied = await copySeedToPostgres(dbPath, postgres.url);
    // Each PostgreSQL setup starts from this seeded inbox, as SQLite's does from its file (the steps'
    // messages reuse clientIds, which on a shared database the second setup would find as resends).
    const seededDatabase = new URL(postgres.url).pathname.slice(1);
    log(
      `${plan.conversations.toLocaleString('en')} conversations, ${plan.sockets} visitor tokens, one of 1,000 messages: SQLite in ${Math.round(seed.seedMs)} ms, ` +
        `copied to PostgreSQL (${copied.rows.toLocaleString('en')} rows, then ANALYZE) in ${copied.copyMs} ms`,
    );

    const postmaster = postgres.postmasterPid();
    const pgServices = (servers: RunningSetup['servers']): Services => ({
      parley: () => servers.map((s) => s.child.pid as number),
      postgres: () => [postmaster, ...childrenOf(postmaster)],
      redis: () => [redis.pid()],
    });
    const pgEnv = async (name: SetupName) => ({
      PARLEY_DATABASE_URL: await copyDatabase(postgres.url, seededDatabase, `parley_${name}`),
      PARLEY_REDIS_URL: redis.url,
    });
    // `--setups=pg1,pg2` runs only those (for investigations; the comparison needs all three).
    const only = process.argv.find((arg) => arg.startsWith('--setups='))?.slice('--setups='.length).split(',');
    for (const name of (['sqlite', 'pg1', 'pg2'] as const).filter((setup) => !only || only.includes(setup))) {
      console.log(`\n${SETUP_LABELS[name]}…`);
      const servers = await startParleys(name, name === 'sqlite' ? { PARLEY_DB: dbPath } : await pgEnv(name), name === 'pg2' ? 2 : 1, dir);
      const running: RunningSetup = {
        name,
        servers,
        services: name === 'sqlite' ? { parley: () => servers.map((s) => s.child.pid as number), postgres: () => [], redis: () => [] } : pgServices(servers),
      };
      try {
        results.push(await measureSetup(running, seed));
      } finally {
        await stopSetup(running);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await redis.stop();
    await postgres.stop();
  }
  const report = {
    date: new Date().toISOString(),
    quick,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    plan,
    setups: results,
    benchSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(resolve(projectRoot, 'bench', 'cluster-results.json'), `${JSON.stringify(report, null, 2)}\n`);
  printClusterTable(results, report.benchSeconds);
}

const ms = (value: number | null | undefined) => (value === null || value === undefined || Number.isNaN(value) ? '–' : `${value}`);

function latencyCell(setup: SetupResult, rate: number): string {
  const step = setup.steps.find((s) => s.offeredRate === rate);
  if (!step) return setup.saturatedAt !== null && setup.saturatedAt < rate ? 'saturated' : 'not run';
  if (step.saturated) return `saturated (${step.achievedRate}/s)`;
  if (step.sameProcessLatencyMs && step.crossProcessLatencyMs) {
    return `same ${ms(step.sameProcessLatencyMs.p50)} / ${ms(step.sameProcessLatencyMs.p99)}, cross ${ms(step.crossProcessLatencyMs.p50)} / ${ms(step.crossProcessLatencyMs.p99)}`;
  }
  return `${ms(step.agentLatencyMs.p50)} / ${ms(step.agentLatencyMs.p99)}`;
}

function cpuCell(setup: SetupResult, rate: number): string {
  const step = setup.steps.find((s) => s.offeredRate === rate);
  if (!step) return 'saturated';
  const c = step.cpuMsPerMessage;
  const parts = setup.setup === 'sqlite' ? '' : ` (Parley ${c.parley} + PG ${c.postgres} + Redis ${c.redis})`;
  return `${c.total}${parts} (${c.totalWithIdle} with idle)${step.saturated ? ', saturated' : ''}`;
}

export function printClusterTable(setups: SetupResult[], seconds: number): void {
  const rows: string[][] = [['Measure', ...setups.map((s) => s.label)]];
  rows.push(['Saturation, msg/s', ...setups.map((s) => `${s.saturationRate}${s.saturatedAt === null ? ' (never saturated)' : ` (fell behind at ${s.saturatedAt}/s)`}`)]);
  for (const rate of [100, 250, ...REPORTED_RATES]) rows.push([`Send→agent p50 / p99 ms @ ${rate}/s`, ...setups.map((s) => latencyCell(s, rate))]);
  rows.push(['Idle CPU, every socket connected, % of one CPU', ...setups.map((s) => `${s.idleCpuPercent.parley + s.idleCpuPercent.postgres + s.idleCpuPercent.redis}`)]);
  for (const rate of [100, 250, ...REPORTED_RATES]) rows.push([`CPU ms per message beyond idle @ ${rate}/s`, ...setups.map((s) => cpuCell(s, rate))]);
  rows.push(['History, 1,000 messages (API) p50 / p99 ms', ...setups.map((s) => `${ms(s.history.agentHistory.p50)} / ${ms(s.history.agentHistory.p99)}`)]);
  rows.push(['List, first page p50 / p99 ms', ...setups.map((s) => `${ms(s.history.listFirstPage.p50)} / ${ms(s.history.listFirstPage.p99)}`)]);
  rows.push(['List, 21st page p99 ms', ...setups.map((s) => ms(s.history.listDeepPage.p99))]);
  rows.push([
    'Machine during the steps: load average; whole machine CPU % (setup %)',
    ...setups.map((s) => {
      const loads = s.steps.map((x) => x.loadAverage);
      return `${Math.min(...loads)}–${Math.max(...loads)}; ` + s.steps.map((x) => `${x.machineBusyPercent} (${x.setupCpuPercent})`).join(', ');
    }),
  ]);
  rows.push([
    'Recovery after SIGKILL of one process, ms',
    ...setups.map((s) =>
      s.recovery
        ? `${s.recovery.visitors} visitors back after ${ms(s.recovery.allReconnectedMs)}, message at agent after ${ms(s.recovery.agentReceivedMs)}`
        : '–',
    ),
  ]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  console.log('');
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
  console.log(
    `\n(${seconds} s; ${plan.sockets} visitors, ${plan.agents} agents, ${plan.stepSeconds} s steps; "same"/"cross": the visitor on the latency agent's process or on the other; ` +
      `full figures in bench/cluster-results.json)`,
  );
}
