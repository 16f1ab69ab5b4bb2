// Crashes under load: the built server (dist/server/main.js, as `npm start` runs it) takes steady
// messages from 100 visitors, each through the widget's own connection logic, and is SIGKILLed 20
// times at random moments and started again. Whatever the widgets were told is stored must be, once,
// and each visitor's messages must be in the order they were typed.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { freePort, startServerProcess } from '../bench/processes';
import { VISITOR_SOCKET_PATH } from '../shared/limits';
import { ChatConnection } from '../widget/connection';
import { typeSteadily, waitUntil } from '../server/testing';

const VISITORS = 100;
const KILLS = 20;
/** Each visitor types a message this often: 100 visitors make about 300 messages a second. */
const TYPE_EVERY_MS = 330;

const serverEntry = resolve(import.meta.dirname, '..', 'dist', 'server', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'parley-faults-'));
let server: ChildProcess | null = null;
afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const exited = (child: ChildProcess) => new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done())));
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('SIGKILL under load', () => {
  it(`keeps every acknowledged message exactly once, in each visitor's order, across ${KILLS} crashes`, async () => {
    if (!existsSync(serverEntry)) throw new Error('dist/server/main.js is missing: run `npm run build` first');
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_DB: join(dir, 'parley.db'),
      // 100 steady visitors from one address are this test's load, not abuse.
      PARLEY_LIMIT_MESSAGE_BURST: '0',
      PARLEY_LIMIT_MESSAGES_PER_MINUTE: '0',
      PARLEY_LIMIT_NEW_VISITORS_PER_MINUTE: '0',
      PARLEY_LIMIT_SOCKETS_PER_IP: '0',
    };
    const start = async () => (server = await startServerProcess(serverEntry, env, /Parley is running/));
    await start();

    const typed: string[][] = Array.from({ length: VISITORS }, () => []);
    const acknowledged = new Set<string>();
    const visitors = typed.map((bodies, v) => {
      let token: string | undefined;
      const chat: ChatConnection = new ChatConnection({
        socketUrl: `ws://127.0.0.1:${port}${VISITOR_SOCKET_PATH}`,
        tokens: { read: () => token, write: (t) => (token = t), clear: () => (token = undefined) },
        WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
        onChange: () => {
          for (const message of chat.messages) if (message.state === 'sent') acknowledged.add(message.body);
        },
      });
      const type = () => {
        const body = `visitor ${v} message ${bodies.length}`;
        bodies.push(body);
        chat.send(body);
      };
      return { chat, type, known: () => token !== undefined };
    });

    // Every visitor exists before the crashes begin (a first message is claimed back by a secret
    // the server keeps in memory; what a crash does to that is not this test's question).
    for (const visitor of visitors) visitor.type();
    await waitUntil(() => visitors.every((v) => v.known()), Boolean, 15_000);

    const typing = typeSteadily(visitors, TYPE_EVERY_MS);

    for (let kill = 0; kill < KILLS; kill++) {
      await pause(100 + Math.random() * 250);
      const crashed = server!;
      crashed.kill('SIGKILL');
      await exited(crashed);
      await pause(Math.random() * 100);
      await start();
      // As when the browser says the network is back: skip what is left of the backoff.
      for (const visitor of visitors) visitor.chat.reconnectNow();
    }
    await typing.stop();

    // Every message typed is delivered in the end: the widgets resend until they hear it is stored.
    await waitUntil(
      () => visitors.filter((v) => v.chat.messages.some((m) => m.state !== 'sent')).length,
      (waiting) => waiting === 0,
      30_000,
    );
    for (const visitor of visitors) visitor.chat.stop();
    const running = server!;
    running.kill('SIGTERM');
    await exited(running);

    const db = new BetterSqlite3(env.PARLEY_DB, { readonly: true });
    const rows = db
      .prepare('select c.visitor_id as visitorId, m.body from messages m join conversations c on c.id = m.conversation_id order by m.id')
      .all() as { visitorId: number; body: string }[];
    db.close();

    const storedByVisitor = new Map<number, string[]>();
    for (const row of rows) storedByVisitor.set(row.visitorId, [...(storedByVisitor.get(row.visitorId) ?? []), row.body]);
    const stored = [...storedByVisitor.values()].sort((a, b) => a[0]!.localeCompare(b[0]!, 'en', { numeric: true }));
    const expected = typed.map((bodies) => bodies).sort((a, b) => a[0]!.localeCompare(b[0]!, 'en', { numeric: true }));
    expect(stored.length).toBe(VISITORS); // one thread per visitor: no visitor split in two by a crash
    expect(stored).toEqual(expected); // each typed message once, in typing order, nothing lost
    expect(acknowledged.size).toBe(rows.length);
  }, 120_000);
});
