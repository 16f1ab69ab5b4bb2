// Presence across processes on a real, private redis-server: two (or three) "processes" in this test,
// each with its own bus and presence, as two Parley processes would have.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureServicePackages, startRedis } from '../../../scripts/testServices';
import { ClusterBus } from './bus';
import { ClusterPresence, type PresenceEvent } from './presence';

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  ensureServicePackages();
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const LEASE_MS = 1_200;
const RENEW_MS = 300;

interface Node {
  bus: ClusterBus<PresenceEvent>;
  presence: ClusterPresence;
  changes: string[];
  agentChanges: number;
}

const nodes: Node[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) {
    await n.presence.stop();
    await n.bus.stop();
  }
  // Each test starts from an empty Redis: a lapsed lease from the last test must not linger.
  await redis.restart();
});

async function startNode(): Promise<Node> {
  const node = { changes: [] as string[], agentChanges: 0 } as Node;
  node.bus = new ClusterBus<PresenceEvent>(
    redis.url,
    {
      onEvent: (event, from) => node.presence.apply(event, from),
      onAlive: (from) => node.presence.alive(from),
      onMissed: () => void node.presence.resync(),
    },
    { heartbeatMs: RENEW_MS },
  );
  await node.bus.start();
  node.presence = new ClusterPresence(
    node.bus.commands,
    node.bus.processId,
    (event) => node.bus.publish(event),
    {
      onVisitorChanged: (id, online) => node.changes.push(`${id} ${online ? 'online' : 'offline'}`),
      onAgentsChanged: () => node.agentChanges++,
    },
    { leaseMs: LEASE_MS, renewMs: RENEW_MS },
  );
  await node.presence.start();
  nodes.push(node);
  return node;
}

describe('presence across processes', () => {
  it('shows a visitor connected to one process as online on the other, and offline when they leave', async () => {
    const a = await startNode();
    const b = await startNode();
    a.presence.localVisitorOnline(7);
    await vi.waitFor(() => expect(b.presence.isOnline(7)).toBe(true));
    expect(b.changes).toEqual(['7 online']);
    a.presence.localVisitorOffline(7);
    await vi.waitFor(() => expect(b.presence.isOnline(7)).toBe(false));
    expect(b.changes).toEqual(['7 online', '7 offline']);
  });

  it('keeps a visitor with tabs on two processes online while either holds them', async () => {
    const a = await startNode();
    const b = await startNode();
    a.presence.localVisitorOnline(5);
    b.presence.localVisitorOnline(5);
    await vi.waitFor(() => expect(a.presence.knownProcesses()).toHaveLength(1));
    a.presence.localVisitorOffline(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.presence.isOnline(5)).toBe(true);
    expect(b.presence.isOnline(5)).toBe(true);
    expect(b.changes).not.toContain('5 offline');
    b.presence.localVisitorOffline(5);
    await vi.waitFor(() => expect(a.presence.isOnline(5)).toBe(false));
    expect(a.changes.at(-1)).toBe('5 offline');
  });

  it('counts available agents on every process, and a process that started later learns them', async () => {
    const a = await startNode();
    a.presence.localAgents([1, 3]);
    const b = await startNode();
    await vi.waitFor(() => expect(b.presence.availableAgentIds()).toEqual([1, 3]));
    b.presence.localAgents([2]);
    await vi.waitFor(() => expect(a.presence.availableAgentIds()).toEqual([1, 2, 3]));
    a.presence.localAgents([]);
    await vi.waitFor(() => expect(b.presence.availableAgentIds()).toEqual([2]));
    expect(b.agentChanges).toBeGreaterThan(0);
  });

  it("turns a dead process's visitors and agents offline everywhere within its lease", async () => {
    const a = await startNode();
    const b = await startNode();
    const c = await startNode();
    a.presence.localVisitorOnline(11);
    a.presence.localAgents([4]);
    await vi.waitFor(() => {
      expect(b.presence.isOnline(11)).toBe(true);
      expect(c.presence.availableAgentIds()).toEqual([4]);
    });
    // Killed: no goodbye, no cleanup; only its lease stops being renewed.
    const diedAt = Date.now();
    a.presence.abandon();
    await a.bus.stop();
    await vi.waitFor(
      () => {
        expect(b.presence.isOnline(11)).toBe(false);
        expect(c.presence.isOnline(11)).toBe(false);
        expect(b.presence.availableAgentIds()).toEqual([]);
      },
      { timeout: 10_000 },
    );
    // The bound: offline everywhere within 5 s of the death.
    expect(Date.now() - diedAt).toBeLessThan(5_000);
    expect(b.changes.at(-1)).toBe('11 offline');
  });
});
