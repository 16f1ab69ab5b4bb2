// The bus on a real, private redis-server: events reach the other processes (never the sender), in
// order; a lost event or a Redis restart is noticed, never silent.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureServicePackages, startRedis } from '../../../scripts/testServices';
import { BUS_CHANNEL, ClusterBus, type BusListener } from './bus';

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  ensureServicePackages();
  redis = await startRedis();
});
afterAll(() => redis?.stop());

type Event = { n: number };
const buses: ClusterBus<Event>[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.stop()));
});

function recorder() {
  const heard: { event: Event; from: string }[] = [];
  const missed: string[] = [];
  const listener: BusListener<Event> = { onEvent: (event, from) => heard.push({ event, from }), onMissed: (why) => missed.push(why) };
  return { heard, missed, listener };
}

async function bus(listener: BusListener<Event>, heartbeatMs = 1_000) {
  const b = new ClusterBus<Event>(redis.url, listener, { heartbeatMs });
  await b.start();
  buses.push(b);
  return b;
}

describe('the cluster bus', () => {
  it("carries one process's events to the others, in order, and not back to the sender", async () => {
    const a = recorder();
    const b = recorder();
    const busA = await bus(a.listener);
    await bus(b.listener);
    for (let n = 1; n <= 50; n++) busA.publish({ n });
    await vi.waitFor(() => expect(b.heard).toHaveLength(50));
    expect(b.heard.map((h) => h.event.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(b.heard.every((h) => h.from === busA.processId)).toBe(true);
    expect(a.heard).toEqual([]);
    expect(b.missed).toEqual([]);
  });

  it('has every event published at Redis once published() resolves, so a process killed then loses none', async () => {
    const b = recorder();
    const busA = await bus(recorder().listener);
    await bus(b.listener);
    for (let n = 1; n <= 20; n++) busA.publish({ n });
    await busA.published();
    await busA.stop(); // as a SIGKILL would: the connection drops with whatever it had not written
    await vi.waitFor(() => expect(b.heard).toHaveLength(20));
    expect(b.heard.map((h) => h.event.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('stops waiting for a Redis that does not answer after two seconds, so acks are late but never stuck', async () => {
    const busA = await bus(recorder().listener);
    process.kill(redis.pid(), 'SIGSTOP');
    try {
      busA.publish({ n: 1 });
      const started = Date.now();
      await busA.published();
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
      expect(Date.now() - started).toBeLessThan(4_500);
    } finally {
      process.kill(redis.pid(), 'SIGCONT');
    }
  });

  it('notices a lost event by the gap in its sender’s numbers', async () => {
    const b = recorder();
    await bus(b.listener);
    const raw = new Redis(redis.url);
    try {
      await raw.publish(BUS_CHANNEL, JSON.stringify({ from: 'p1', seq: 1, event: { n: 1 } }));
      await raw.publish(BUS_CHANNEL, JSON.stringify({ from: 'p1', seq: 3, event: { n: 3 } }));
      await vi.waitFor(() => expect(b.heard).toHaveLength(2));
      expect(b.missed).toEqual(['events from p1 were lost (1 then 3)']);
    } finally {
      raw.disconnect();
    }
  });

  it('notices a lost event within a heartbeat even when nothing else is sent', async () => {
    const b = recorder();
    await bus(b.listener);
    const raw = new Redis(redis.url);
    try {
      await raw.publish(BUS_CHANNEL, JSON.stringify({ from: 'p2', seq: 7, event: { n: 7 } }));
      // A heartbeat (event null) with a number past the next one: an event between them never arrived.
      await raw.publish(BUS_CHANNEL, JSON.stringify({ from: 'p2', seq: 9, event: null }));
      await vi.waitFor(() => expect(b.missed).toHaveLength(1));
      expect(b.heard).toHaveLength(1);
    } finally {
      raw.disconnect();
    }
  });

  it('tells every process to resynchronise after Redis restarts, and carries events again', async () => {
    const a = recorder();
    const b = recorder();
    const busA = await bus(a.listener, 200);
    await bus(b.listener, 200);
    await redis.restart();
    await vi.waitFor(
      () => {
        expect(a.missed).toContain('the subscription to Redis was interrupted');
        expect(b.missed).toContain('the subscription to Redis was interrupted');
      },
      { timeout: 15_000 },
    );
    // Once both are back, events flow again.
    await vi.waitFor(
      () => {
        busA.publish({ n: 99 });
        expect(b.heard.some((h) => h.event.n === 99)).toBe(true);
      },
      { timeout: 15_000, interval: 300 },
    );
  });

  it('ignores what is not an envelope of ours on the channel', async () => {
    const b = recorder();
    await bus(b.listener);
    const raw = new Redis(redis.url);
    try {
      await raw.publish(BUS_CHANNEL, 'not json');
      await raw.publish(BUS_CHANNEL, JSON.stringify({ hello: 1 }));
      await raw.publish(BUS_CHANNEL, JSON.stringify({ from: 'p3', seq: 1, event: { n: 1 } }));
      await vi.waitFor(() => expect(b.heard).toHaveLength(1));
      expect(b.missed).toEqual([]);
    } finally {
      raw.disconnect();
    }
  });
});
