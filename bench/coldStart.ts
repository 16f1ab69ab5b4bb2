// Measures Parley's cold start as `npm start` runs it (minus the build): spawn `node dist/server/main.js` on a
// given SQLite file until it says it is running and until it answers its first API request.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './stats';

export interface ColdStartOptions {
  quick: boolean;
  log: (line: string) => void;
  dbPath: string;
}

export interface ColdStartResults {
  runs: number;
  /** Spawn → stdout contains "Parley is running"; median of `runs`. */
  spawnToRunningMs: number;
  /** Spawn → first `GET /api/session` answered 200; median of `runs`. */
  spawnToFirstResponseMs: number;
  /** Spawn → exit of `node -e "0"`: what Node itself costs before any Parley code runs; median of `runs`. */
  runtimeBaselineMs: number;
  samples: { spawnToRunningMs: number[]; spawnToFirstResponseMs: number[]; runtimeBaselineMs: number[] };
}

const projectRoot = resolve(import.meta.dirname, '..');
/** What `npm start` runs after building: the bundled server on plain node. */
const serverBundle = resolve(projectRoot, 'dist', 'server', 'main.js');
const READY_LINE = 'Parley is running';
const POLL_INTERVAL_MS = 5;
const START_TIMEOUT_MS = 60_000;

const roundToHundredths = (value: number) => Math.round(value * 100) / 100;

async function pickFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done, fail) => {
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => done());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/** One GET /api/session on a fresh connection; true on a 200, false on refusal or any other answer. */
function sessionAnswers(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const probe = request({ host: '127.0.0.1', port, path: '/api/session', agent: false }, (response) => {
      response.resume();
      response.on('end', () => answer(response.statusCode === 200));
    });
    probe.on('error', () => answer(false));
    probe.end();
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

async function timeOneServerStart(dbPath: string): Promise<{ spawnToRunningMs: number; spawnToFirstResponseMs: number }> {
  const port = await pickFreePort();
  const spawnedAt = performance.now();
  const server = spawn(process.execPath, [serverBundle], {
    cwd: projectRoot,
    env: { ...process.env, PARLEY_DB: dbPath, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = waitForExit(server);
  try {
    const running = new Promise<number>((done, fail) => {
      let stdout = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes(READY_LINE)) done(performance.now() - spawnedAt);
      });
      server.once('exit', (code) => fail(new Error(`server exited (${code}) before starting: ${stderr.slice(0, 500)}`)));
    });
    running.catch(() => undefined); // observed below; avoids an unhandled rejection while polling

    let spawnToFirstResponseMs: number | null = null;
    while (spawnToFirstResponseMs === null) {
      if (server.exitCode !== null) break;
      if (performance.now() - spawnedAt > START_TIMEOUT_MS) throw new Error('server did not answer within 60 s');
      if (await sessionAnswers(port)) spawnToFirstResponseMs = performance.now() - spawnedAt;
      else await sleep(POLL_INTERVAL_MS);
    }
    const spawnToRunningMs = await running;
    if (spawnToFirstResponseMs === null) throw new Error(`server exited: ${stderr.slice(0, 500)}`);
    return { spawnToRunningMs, spawnToFirstResponseMs };
  } finally {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
  }
}

async function timeRuntimeBaseline(): Promise<number> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { cwd: projectRoot, stdio: 'ignore' });
  await waitForExit(child);
  if (child.exitCode !== 0) throw new Error(`node -e "0" exited with ${child.exitCode ?? child.signalCode}`);
  return performance.now() - spawnedAt;
}

export async function measureColdStart(options: ColdStartOptions): Promise<ColdStartResults> {
  const runs = options.quick ? 1 : 3;
  const samples: ColdStartResults['samples'] = { spawnToRunningMs: [], spawnToFirstResponseMs: [], runtimeBaselineMs: [] };
  for (let run = 0; run < runs; run++) {
    const start = await timeOneServerStart(options.dbPath);
    samples.spawnToRunningMs.push(roundToHundredths(start.spawnToRunningMs));
    samples.spawnToFirstResponseMs.push(roundToHundredths(start.spawnToFirstResponseMs));
    samples.runtimeBaselineMs.push(roundToHundredths(await timeRuntimeBaseline()));
    options.log(
      `cold start ${run + 1}/${runs}: running after ${start.spawnToRunningMs.toFixed(0)} ms, ` +
        `first answer after ${start.spawnToFirstResponseMs.toFixed(0)} ms`,
    );
  }
  return {
    runs,
    spawnToRunningMs: percentile(samples.spawnToRunningMs, 50),
    spawnToFirstResponseMs: percentile(samples.spawnToFirstResponseMs, 50),
    runtimeBaselineMs: percentile(samples.runtimeBaselineMs, 50),
    samples,
  };
}
