// Test harness for Parley as a cluster: one private PostgreSQL and one private Redis (scripts/
// testServices.ts), a fresh database per test, and real Parley processes (`tsx server/main.ts`, as
// `npm start` runs it) on their own ports, sharing both. Processes can be stopped (SIGTERM) or killed
// (SIGKILL); what they printed is kept for the failure message.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { WebSocket } from 'ws';
import { VISITOR_SOCKET_PATH } from '../../shared/limits';
import type { ChatMessage, VisitorServerFrame } from '../../shared/protocol';
import { ensureServicePackages, startPostgres, startRedis, type RunningService } from '../../scripts/testServices';
import type { RunningParley } from '../app';
import { ADMIN } from './index';

const projectRoot = resolve(import.meta.dirname, '..', '..');

/** The visitor limits are for strangers on the internet, not for a test's steady senders from 127.0.0.1. */
export const NO_VISITOR_LIMITS = {
  PARLEY_LIMIT_MESSAGE_BURST: '0',
  PARLEY_LIMIT_MESSAGES_PER_MINUTE: '0',
  PARLEY_LIMIT_NEW_VISITORS_PER_MINUTE: '0',
  PARLEY_LIMIT_SOCKETS_PER_IP: '0',
  PARLEY_LIMIT_IDENTIFY_PER_HOUR: '0',
};

export interface ClusterServices {
  postgres: RunningService;
  redis: RunningService & { restart(): Promise<void> };
  /** A database of its own, empty (not even migrated): its postgres:// URL. */
  freshDatabase(): Promise<string>;
  /** Forgets every key and every process a previous test left in Redis. */
  flushRedis(): Promise<void>;
  stop(): Promise<void>;
}

export async function startClusterServices(): Promise<ClusterServices> {
  ensureServicePackages();
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  let databases = 0;
  return {
    postgres,
    redis,
    async freshDatabase() {
      const name = `parley_${++databases}_${process.pid}`;
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return postgres.url.replace(/\/parley$/, `/${name}`);
    },
    async flushRedis() {
      const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
    async stop() {
      await Promise.allSettled([postgres.stop(), redis.stop()]);
    },
  };
}

/** One Parley process of the cluster, as a client reaches it. */
export class ParleyProcess {
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
    private readonly log: { text: string },
    readonly exited: Promise<void>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** For the test helpers (connectVisitor, AgentSession), which need only the address. */
  get parley(): RunningParley {
    return { url: this.url, port: this.port } as RunningParley;
  }

  /** Everything it printed so far. */
  get output(): string {
    return this.log.text;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts `tsx server/main.ts` on a port the OS picks, against `databaseUrl` and `redisUrl`, with
   * the first admin ADMIN configured; resolves once it says it is running.
   */
  static async start(name: string, databaseUrl: string, redisUrl: string, env: Record<string, string> = {}): Promise<ParleyProcess> {
    const dir = mkdtempSync(join(tmpdir(), `parley-cluster-${name}-`));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        // On PostgreSQL this file is never opened; its folder holds the attachments.
        PARLEY_DB: join(dir, 'parley.db'),
        PARLEY_DATABASE_URL: databaseUrl,
        PARLEY_REDIS_URL: redisUrl,
        PARLEY_ADMIN_EMAIL: ADMIN.email,
        PARLEY_ADMIN_PASSWORD: ADMIN.password,
        PARLEY_ADMIN_NAME: ADMIN.name,
        PARLEY_HEARTBEAT_MS: '1000',
        ...NO_VISITOR_LIMITS,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = { text: '' };
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const port = await new Promise<number>((ready, fail) => {
      const onData = (chunk: Buffer) => {
        log.text += chunk.toString();
        const found = /Parley is running[\s\S]*?Demo site:\s+http:\/\/[^\s:]+:(\d+)/.exec(log.text);
        if (found) ready(Number(found[1]));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (log.text += chunk.toString()));
      void exited.then(() => fail(new Error(`Parley ${name} exited before it was running:\n${log.text}`)));
    });
    return new ParleyProcess(name, child, port, dir, log, exited);
  }

  /** SIGKILL: no goodbye to clients, Redis or the outbox; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, as a deploy stops it (SIGKILL after 10 s); removes its folder. */
  async stop(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const late = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(late);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A visitor's widget reduced to its connection logic (widget/connection.ts is browser code): it
 * connects to the first live process of `targets()` (a load balancer), says hello with its token and
 * the highest seq up to which it has every message, resends every unacknowledged message in order after each (re)connect, and
 * reconnects `retryMs` after a close. The server dedupes by clientId, so a resend is stored once.
 */
export class ReconnectingVisitor {
  token: string | undefined;
  /** What the widget shows, by seq: its acknowledged messages and everything else it was told. */
  readonly thread = new Map<number, ChatMessage>();
  /** Bodies the server acknowledged (the widget's "sent" tick). */
  readonly acknowledged = new Set<string>();
  /** Two different messages told at one seq (should never happen). */
  readonly conflicts: string[] = [];
  agentsOnline: boolean | null = null;
  online = false;
  /** Sockets opened so far (1 + reconnects). */
  connections = 0;
  readonly #pending: { clientId: string; body: string }[] = [];
  readonly #claim = randomBytes(24).toString('base64url');
  #socket: WebSocket | null = null;
  #stopped = false;
  #counter = 0;

  constructor(
    private readonly targets: () => ParleyProcess[],
    private readonly retryMs = 200,
  ) {
    this.#connect();
  }

  /** Messages typed but not acknowledged yet. */
  get unacknowledged(): number {
    return this.#pending.length;
  }

  /** The thread in seq order. */
  get messages(): ChatMessage[] {
    return [...this.thread.values()].sort((x, y) => x.seq - y.seq);
  }

  send(body: string): void {
    const message = { clientId: `${this.#claim.slice(0, 12)}-${++this.#counter}`, body };
    this.#pending.push(message);
    if (this.online) this.#socket?.send(JSON.stringify({ type: 'send', ...message }));
  }

  stop(): void {
    this.#stopped = true;
    this.#socket?.terminate();
  }

  #connect(): void {
    if (this.#stopped) return;
    const target = this.targets().find((p) => p.running);
    if (!target) return void setTimeout(() => this.#connect(), this.retryMs);
    const socket = new WebSocket(`ws://127.0.0.1:${target.port}${VISITOR_SOCKET_PATH}`);
    this.#socket = socket;
    this.connections++;
    socket.on('open', () => {
      // As the widget does (widget/connection.ts): from the last seq with nothing missing below it.
      let sinceSeq = 0;
      while (this.thread.has(sinceSeq + 1)) sinceSeq++;
      socket.send(JSON.stringify({ type: 'hello', ...(this.token ? { token: this.token, sinceSeq } : { claim: this.#claim }) }));
    });
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as VisitorServerFrame;
      switch (frame.type) {
        case 'welcome':
          for (const message of frame.history) this.#show(message);
          this.agentsOnline = frame.agentsOnline;
          this.online = true;
          for (const message of this.#pending) socket.send(JSON.stringify({ type: 'send', ...message }));
          return;
        case 'identity':
          this.token = frame.token;
          return;
        case 'ack': {
          const index = this.#pending.findIndex((m) => m.clientId === frame.clientId);
          if (index >= 0) this.#pending.splice(index, 1);
          this.acknowledged.add(frame.message.body);
          return this.#show(frame.message);
        }
        case 'message':
          return this.#show(frame.message);
        case 'agentsOnline':
          this.agentsOnline = frame.online;
          return;
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.online = false;
      if (this.#socket === socket) this.#socket = null;
      if (!this.#stopped) setTimeout(() => this.#connect(), this.retryMs);
    });
  }

  #show(message: ChatMessage): void {
    const known = this.thread.get(message.seq);
    if (known && known.id !== message.id) this.conflicts.push(`two messages at seq ${message.seq}: ${known.id} and ${message.id}`);
    this.thread.set(message.seq, message);
  }
}

/** Runs SQL against a test's database (the rows a user's actions left). */
export async function queryDatabase<Row>(databaseUrl: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Row[];
  } finally {
    await client.end();
  }
}
