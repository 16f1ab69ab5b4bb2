// Test helpers: a real Parley on a random loopback port with its own temporary SQLite file, and thin
// wrappers around real `ws` clients that wait for the frames a test expects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { AGENT_SOCKET_PATH, CSRF_HEADER, VISITOR_SOCKET_PATH } from '../../shared/limits';
import type { AgentServerFrame, SessionView, VisitorServerFrame } from '../../shared/protocol';
import { startParley, type RunningParley } from '../app';
import { defaultEmailConfig, defaultVisitorLimits, type ParleyConfig } from '../config';
import { Hub } from '../realtime/hub';

export interface TestParley extends RunningParley {
  dir: string;
  dbPath: string;
  /** Stops the server and deletes its database. */
  destroy(): Promise<void>;
}

export const ADMIN = { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada' };

export async function startTestParley(overrides: Partial<ParleyConfig> = {}, dir?: string): Promise<TestParley> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
  const dbPath = join(folder, 'parley.db');
  const parley = await startParley({
    port: 0,
    host: '127.0.0.1',
    dbPath,
    databaseUrl: null,
    redisUrl: null,
    allowedOrigins: null,
    admin: ADMIN,
    heartbeatMs: 2500,
    siteName: 'Parley',
    publicUrl: null,
    trustProxy: 0,
    identitySecret: null,
    unverifiedEmailsPerDay: 5,
    limits: defaultVisitorLimits,
    email: defaultEmailConfig,
    messenger: null,
    agentsGoneGraceMs: 100,
    ...overrides,
  });
  return {
    ...parley,
    // Tests talk to the exact loopback address the server listens on (no localhost → ::1 surprises).
    url: `http://127.0.0.1:${parley.port}`,
    dir: folder,
    dbPath,
    async destroy() {
      await parley.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A real ws client that records every frame and can wait for the next one matching a predicate. */
export class FrameClient<F extends { type: string }> {
  readonly frames: F[] = [];
  private waiters: { match: (f: F) => boolean; resolve: (f: F) => void }[] = [];
  private cursor = 0;
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as F;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  static async open<F extends { type: string }>(url: string, headers: Record<string, string> = {}): Promise<FrameClient<F>> {
    const socket = new WebSocket(url, { headers });
    const client = new FrameClient<F>(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * The next frame of this type (and matching `where`, if given) after the ones already consumed
   * by `next`; frames of other types stay available to later calls.
   */
  next<T extends F['type']>(
    type: T,
    where: (frame: Extract<F, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<F, { type: T }>> {
    const matches = (f: F) => f.type === type && where(f as Extract<F, { type: T }>);
    const found = this.frames.slice(this.cursor).findIndex(matches);
    if (found >= 0) {
      this.cursor += found + 1;
      return Promise.resolve(this.frames[this.cursor - 1] as Extract<F, { type: T }>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching '${type}' frame within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match: matches,
        resolve: (f) => {
          clearTimeout(timer);
          this.cursor = this.frames.length;
          resolve(f as Extract<F, { type: T }>);
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

export type VisitorClient = FrameClient<VisitorServerFrame>;
export type AgentClient = FrameClient<AgentServerFrame>;

export function visitorSocketUrl(parley: RunningParley): string {
  return `ws://127.0.0.1:${parley.port}${VISITOR_SOCKET_PATH}`;
}

/** Opens a visitor socket and says hello; resolves with the client and the welcome frame. */
export async function connectVisitor(
  parley: RunningParley,
  hello: { token?: string; sinceSeq?: number; since?: number; page?: { url: string; referrer: string }; claim?: string } = {},
) {
  const client = await FrameClient.open<VisitorServerFrame>(visitorSocketUrl(parley));
  client.send({ type: 'hello', ...hello });
  const welcome = await client.next('welcome');
  return { client, welcome };
}

/** A visitor who wrote once and closed the tab: their cookie token, for "returning visitor" tests. */
export async function returningVisitorToken(parley: RunningParley, body = 'hi'): Promise<string> {
  const { client } = await connectVisitor(parley);
  client.send({ type: 'send', clientId: `first-${Math.random().toString(36).slice(2, 12)}`, body });
  const { token } = await client.next('identity');
  await client.next('ack');
  client.close();
  await client.closed;
  return token;
}

/** An agent signed in over the real HTTP API: cookie + CSRF token, ready for API calls and a socket. */
export class AgentSession {
  constructor(
    readonly parley: RunningParley,
    readonly cookie: string,
    readonly csrfToken: string,
  ) {}

  static async signIn(parley: RunningParley, credentials = ADMIN): Promise<AgentSession> {
    const res = await fetch(`${parley.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = (await res.json()) as SessionView;
    return new AgentSession(parley, cookie, session.csrfToken ?? '');
  }

  request(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    return fetch(`${this.parley.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        cookie: this.cookie,
        origin: this.parley.url,
        [CSRF_HEADER]: this.csrfToken,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  openSocket(): Promise<AgentClient> {
    return FrameClient.open<AgentServerFrame>(`ws://127.0.0.1:${this.parley.port}${AGENT_SOCKET_PATH}`, {
      cookie: this.cookie,
      origin: `http://127.0.0.1:${this.parley.port}`,
    });
  }
}

/**
 * Every typist types once every `everyMs`, each starting at a random moment within the first period
 * (so they do not all send together), until the returned stop is called; it resolves once every
 * typist has stopped. For tests that keep steady traffic going while something breaks.
 */
export function typeSteadily(typists: { type(): void }[], everyMs: number): { stop(): Promise<void> } {
  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
  let typing = true;
  const running = typists.map(async (typist) => {
    await pause(Math.random() * everyMs);
    while (typing) {
      typist.type();
      await pause(everyMs);
    }
  });
  return {
    async stop() {
      typing = false;
      await Promise.all(running);
    },
  };
}

/** Polls `read` until `done` says so: for state that changes after the HTTP answer (a worker, a webhook). */
export async function waitUntil<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The in-process fan-out, but whose news stays "on its way" (sent() pending) until the test calls
 * release(): what a cluster process looks like before Redis has taken its events.
 */
export class HeldFanOut extends Hub {
  release!: () => void;
  readonly #gone = new Promise<void>((resolve) => (this.release = resolve));
  override sent(): Promise<void> {
    return this.#gone;
  }
}
