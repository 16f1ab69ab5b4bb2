// Private PostgreSQL and Redis instances for the tests: each in a fresh temporary folder, listening on a
// free loopback port only, gone when stopped. Never the machine's own services: a test run must not read
// or change anything it did not create. PostgreSQL refuses to run as root, so as root it runs as the
// `postgres` user the Debian package creates, on a folder that user owns.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, fileExists, type DebianPackage } from './debianPackages';

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';

/** The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<major>/bin), or null. */
function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : null;
}

export function servicePackages(): DebianPackage[] {
  return [
    { name: 'postgresql', installed: () => postgresBin() !== null },
    { name: 'redis-server', installed: fileExists(REDIS_SERVER) },
  ];
}

/** `npm test` installs them first (scripts/ensure-test-packages.ts); this covers a test run on its own. */
export function ensureServicePackages(): void {
  ensureDebianPackages(servicePackages());
}

/** A port nothing listens on right now (the OS picks it; the service binds it a moment later). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the `postgres` user when we are root (it refuses root), else as ourselves. */
function runPostgresTool(bin: string, args: string[]): void {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * initdb in a temporary folder, started on a free loopback port with its socket in that folder, and a
 * database `parley` owned by the superuser `postgres` (trust authentication: loopback and a test only).
 * fsync off: these databases are thrown away, and the tests measure behaviour, not durability.
 * `durable: true` (the bench) keeps PostgreSQL's defaults instead (fsync, synchronous_commit and
 * full_page_writes on), so a commit is on disk when it returns, as SQLite's is in Parley.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<RunningService & { postmasterPid(): number }> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (run ensureServicePackages first)');
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  runPostgresTool(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '-N']);
  const port = await freePort();
  const durability = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}${durability} -c max_connections=200`;
  runPostgresTool(join(bin, 'pg_ctl'), ['-D', data, '-o', serverOptions, '-l', join(dir, 'log'), '-w', 'start']);
  await waitForPort(port, 'PostgreSQL');
  runPostgresTool(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'parley']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/parley`,
    /** The postmaster's process id (its backends are its children), from its postmaster.pid. */
    postmasterPid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async stop() {
      try {
        runPostgresTool(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** redis-server on a free loopback port, no persistence (`--save ''`), a child of this process. */
export async function startRedis(): Promise<RunningService & { restart(): Promise<void>; pid(): number }> {
  const port = await freePort();
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
      stdio: 'ignore',
    });
    await waitForPort(port, 'Redis');
  };
  const kill = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: kill,
    /** The running redis-server's process id. */
    pid: () => child.pid as number,
    /** Killed and started again on the same port, empty: what a broker restart looks like to clients. */
    async restart() {
      await kill();
      await launch();
    },
  };
}
