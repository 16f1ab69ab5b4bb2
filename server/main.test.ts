// `npm start`'s process as systemd or a container runtime sees it: a real server process under a
// little chat traffic, stopped with SIGTERM.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startServerProcess } from '../bench/processes';
import { VISITOR_SOCKET_PATH } from '../shared/limits';
import type { VisitorServerFrame } from '../shared/protocol';
import { ADMIN, AgentSession, FrameClient } from './testing';
import type { RunningParley } from './app';

/** The visitor limits are for strangers on the internet, not for this test's steady senders. */
const NO_VISITOR_LIMITS = {
  PARLEY_LIMIT_MESSAGE_BURST: '0',
  PARLEY_LIMIT_MESSAGES_PER_MINUTE: '0',
  PARLEY_LIMIT_NEW_VISITORS_PER_MINUTE: '0',
  PARLEY_LIMIT_SOCKETS_PER_IP: '0',
};

let dir: string;
let server: ChildProcess | undefined;
afterEach(() => {
  server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const exited = (child: ChildProcess) => new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

describe('SIGTERM', () => {
  it('stores every acknowledged message, tells every socket to come back soon (1012), folds the WAL in and exits 0 within 5 s', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-sigterm-'));
    const dbPath = join(dir, 'parley.db');
    const port = await freePort();
    server = await startServerProcess(
      'server/main.ts',
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        PARLEY_DB: dbPath,
        PARLEY_ADMIN_EMAIL: ADMIN.email,
        PARLEY_ADMIN_PASSWORD: ADMIN.password,
        ...NO_VISITOR_LIMITS,
      },
      /Parley is running/,
    );
    const parley = { url: `http://127.0.0.1:${port}`, port } as RunningParley;
    const agent = await (await AgentSession.signIn(parley)).openSocket();

    // 20 visitors, each sending a message every 10 ms until their socket closes.
    const acked = new Set<string>();
    const visitors = await Promise.all(
      Array.from({ length: 20 }, async (_, v) => {
        const client = await FrameClient.open<VisitorServerFrame>(`ws://127.0.0.1:${port}${VISITOR_SOCKET_PATH}`);
        client.send({ type: 'hello' });
        await client.next('welcome');
        client.socket.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as VisitorServerFrame;
          if (frame.type === 'ack') acked.add(frame.clientId);
        });
        let n = 0;
        const timer = setInterval(() => {
          if (client.socket.readyState === client.socket.OPEN) client.send({ type: 'send', clientId: `visitor-${v}-message-${n}`, body: `visitor ${v} message ${n++}` });
        }, 10);
        void client.closed.then(() => clearInterval(timer));
        return client;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(acked.size).toBeGreaterThan(0);

    const stopping = exited(server);
    const started = Date.now();
    server.kill('SIGTERM');
    const code = await stopping;
    const tookMs = Date.now() - started;

    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(5_000);
    expect(await Promise.all(visitors.map((v) => v.closed))).toEqual(visitors.map(() => 1012));
    expect(await agent.closed).toBe(1012);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);

    const db = new BetterSqlite3(dbPath, { readonly: true });
    const stored = db.prepare('select client_id as clientId, count(*) as copies from messages group by client_id').all() as { clientId: string; copies: number }[];
    db.close();
    const copies = new Map(stored.map((row) => [row.clientId, row.copies]));
    for (const clientId of acked) expect(copies.get(clientId), clientId).toBe(1);
  });
});
