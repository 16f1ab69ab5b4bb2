// Two "processes" in this test, each a Hub with real WebSocket clients and a ClusterFanOut, joined by
// a real, private redis-server: news published on one reaches the other's clients, views (presence,
// agents online) follow the whole cluster, and a Redis restart asks both to resynchronise.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { ensureServicePackages, startRedis } from '../../../scripts/testServices';
import { Hub } from '../hub';
import { createSocketServer } from '../socketServer';
import { ClusterFanOut } from './clusterFanOut';

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  ensureServicePackages();
  redis = await startRedis();
});
afterAll(() => redis?.stop());

interface Client {
  ws: WebSocket;
  frames: { type: string; [key: string]: unknown }[];
  closedWith: () => number | null;
}

interface Process {
  hub: Hub;
  fanOut: ClusterFanOut;
  server: Server;
  port: number;
  resyncs: string[];
  presence: string[];
  clients: Client[];
}

const processes: Process[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) {
    for (const c of p.clients) c.ws.terminate();
    p.hub.stop();
    await p.fanOut.stop();
    await new Promise<void>((done) => p.server.close(() => done()));
  }
});

/** A process: `/agent/<id>` connects an agent's inbox, `/visitor/<id>` a visitor's widget. */
async function startProcess(): Promise<Process> {
  const hub = new Hub(300, false);
  const p = { hub, resyncs: [] as string[], presence: [] as string[], clients: [] as Client[] } as Process;
  p.fanOut = new ClusterFanOut(hub, { redisUrl: redis.url, heartbeatMs: 200, leaseMs: 1_200, renewMs: 300, onResync: (why) => p.resyncs.push(why) });
  p.fanOut.onVisitorPresence((id, online) => p.presence.push(`${id} ${online ? 'online' : 'offline'}`));
  await p.fanOut.start();
  const sockets = createSocketServer();
  p.server = createServer();
  p.server.on('upgrade', (request, socket, head) => {
    const [, kind, id] = request.url!.split('/');
    sockets.upgrade(request, socket, head, (raw) => {
      if (kind === 'agent') return hub.addAgent(raw, Number(id));
      hub.addGreetedVisitor(raw.ws);
      hub.addVisitor(Number(id), raw.ws);
      raw.ws.on('close', () => {
        hub.removeGreetedVisitor(raw.ws);
        hub.removeVisitor(Number(id), raw.ws);
      });
    });
  });
  await new Promise<void>((ready) => p.server.listen(0, '127.0.0.1', () => ready()));
  p.port = (p.server.address() as AddressInfo).port;
  processes.push(p);
  return p;
}

async function connect(p: Process, path: string): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${p.port}${path}`);
  let code: number | null = null;
  const client: Client = { ws, frames: [], closedWith: () => code };
  ws.on('message', (data: Buffer) => client.frames.push(JSON.parse(data.toString())));
  ws.on('close', (c) => (code = c));
  await new Promise<void>((open) => ws.once('open', () => open()));
  await new Promise<void>((added) => setImmediate(added));
  p.clients.push(client);
  return client;
}

const typesOf = (c: Client) => c.frames.map((f) => f.type);

describe('the cluster fan-out', () => {
  it("delivers one process's news to the other's agents and visitors, a batch in order", async () => {
    const a = await startProcess();
    const b = await startProcess();
    const agentOnA = await connect(a, '/agent/1');
    const visitorOnA = await connect(a, '/visitor/9');
    b.fanOut.inOneWrite(() => {
      b.fanOut.toAgents({ type: 'unread', conversations: 1 });
      b.fanOut.toAgents({ type: 'unread', conversations: 2 });
    });
    b.fanOut.toVisitor(9, { type: 'identified', email: 'mia@example.com' });
    await vi.waitFor(() => expect(agentOnA.frames.filter((f) => f.type === 'unread').map((f) => f.conversations)).toEqual([1, 2]));
    await vi.waitFor(() => expect(visitorOnA.frames).toContainEqual({ type: 'identified', email: 'mia@example.com' }));
  });

  it('shows a visitor connected to one process as online on the other, and offline once they leave', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const visitor = await connect(a, '/visitor/4');
    await vi.waitFor(() => expect(b.fanOut.isOnline(4)).toBe(true));
    expect(b.presence).toEqual(['4 online']);
    visitor.ws.close();
    await vi.waitFor(() => expect(b.presence).toEqual(['4 online', '4 offline']));
    expect(a.fanOut.isOnline(4)).toBe(false);
  });

  it('tells every visitor whether an agent is available anywhere, and Away on one process holds everywhere', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const visitorOnB = await connect(b, '/visitor/3');
    await connect(a, '/agent/1');
    await vi.waitFor(() => expect(visitorOnB.frames).toContainEqual({ type: 'agentsOnline', online: true }));
    expect(b.fanOut.availableAgentIds()).toEqual([1]);
    // The Status select's route ran on B: the agent's inbox on A stops counting.
    b.fanOut.setAvailability(1, false);
    await vi.waitFor(() => expect(visitorOnB.frames.at(-1)).toEqual({ type: 'agentsOnline', online: false }));
    expect(a.fanOut.availableAgentIds()).toEqual([]);
  });

  it('signs an agent out of their inboxes on every process', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const inboxOnA = await connect(a, '/agent/5');
    b.fanOut.signOutAgent(5);
    await vi.waitFor(() => expect(inboxOnA.closedWith()).toBe(4001));
    expect(typesOf(inboxOnA)).toContain('signedOut');
  });

  it('drops a cached thread on every process', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const dropped: number[] = [];
    a.fanOut.onThreadChanged((id) => dropped.push(id));
    b.fanOut.threadChanged(12);
    await vi.waitFor(() => expect(dropped).toEqual([12]));
  });

  it('asks both processes to resynchronise when Redis restarts, and works again after', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const agentOnA = await connect(a, '/agent/1');
    await redis.restart();
    await vi.waitFor(
      () => {
        expect(a.resyncs.length).toBeGreaterThan(0);
        expect(b.resyncs.length).toBeGreaterThan(0);
      },
      { timeout: 15_000 },
    );
    await vi.waitFor(
      () => {
        b.fanOut.toAgents({ type: 'unread', conversations: 42 });
        expect(agentOnA.frames).toContainEqual({ type: 'unread', conversations: 42 });
      },
      { timeout: 15_000, interval: 300 },
    );
  });

  it('merges a shared view (who views a conversation) across processes, one that started later included', async () => {
    const a = await startProcess();
    const changedOnB: number[] = [];
    const viewsA = a.fanOut.sharedView<string>('viewers', () => {});
    viewsA.set(5, ['Grace on A']);
    const b = await startProcess();
    const viewsB = b.fanOut.sharedView<string>('viewers', (key) => changedOnB.push(key));
    // B asked for the views held elsewhere as it started, before anything on it asked for this one.
    await vi.waitFor(() => expect(viewsB.get(5)).toEqual(['Grace on A']));
    viewsB.set(5, ['Ada on B']);
    await vi.waitFor(() => expect(viewsA.get(5)).toEqual(['Grace on A', 'Ada on B']));
    viewsA.set(5, []);
    await vi.waitFor(() => expect(viewsB.get(5)).toEqual(['Ada on B']));
    expect(changedOnB).toContain(5);
  });

  it('runs a signal on every process, the sender included', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const heard: string[] = [];
    a.fanOut.onSignal('team', () => heard.push('a'));
    b.fanOut.onSignal('team', () => heard.push('b'));
    a.fanOut.signal('team');
    await vi.waitFor(() => expect(heard.sort()).toEqual(['a', 'b']));
  });
});
