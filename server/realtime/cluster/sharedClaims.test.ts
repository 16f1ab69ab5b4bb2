// New-visitor claims shared through a real, private redis-server: two "processes", each with its own
// NewVisitors, as two Parley processes behind one load balancer.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServicePackages, startRedis } from '../../../scripts/testServices';
import { NewVisitors } from '../../channels/chat/newVisitors';
import { redisClaims } from './sharedClaims';

let redis: Awaited<ReturnType<typeof startRedis>>;
let a: Redis;
let b: Redis;
beforeAll(async () => {
  ensureServicePackages();
  redis = await startRedis();
  a = new Redis(redis.url);
  b = new Redis(redis.url);
}, 120_000);
afterAll(async () => {
  a?.disconnect();
  b?.disconnect();
  await redis?.stop();
});

const onProcess = (connection: Redis) => new NewVisitors(60_000, Date.now, redisClaims(connection));

describe('new-visitor claims in a cluster', () => {
  it('hand a widget resending to another process the visitor its first message created', async () => {
    const first = await onProcess(a).claimOrCreate('secret-of-widget-a', async () => ({ visitorId: 41, token: 'token-41' }));
    let createdOnB = 0;
    const again = await onProcess(b).claimOrCreate('secret-of-widget-a', async () => ({ visitorId: 42 + createdOnB++, token: 'token-42' }));
    expect(first).toEqual({ visitorId: 41, token: 'token-41' });
    expect(again).toEqual({ visitorId: 41, token: 'token-41' });
    expect(createdOnB).toBe(0);
  });

  it('agree on one visitor when two processes create one for the same widget at once', async () => {
    const [onA, onB] = await Promise.all([
      onProcess(a).claimOrCreate('secret-of-widget-b', async () => ({ visitorId: 51, token: 'token-51' })),
      onProcess(b).claimOrCreate('secret-of-widget-b', async () => ({ visitorId: 52, token: 'token-52' })),
    ]);
    expect(onA).toEqual(onB);
  });

  it('keep the token unreadable to whoever reads Redis without the claim secret', async () => {
    await onProcess(a).claimOrCreate('secret-of-widget-c', async () => ({ visitorId: 61, token: 'token-61-secret' }));
    const keys = await a.keys('parley:claim:*');
    const stored = (await Promise.all(keys.map((key) => a.get(key)))).join('\n');
    expect(stored).not.toContain('token-61-secret');
    expect(keys.join('\n')).not.toContain('secret-of-widget-c');
    const ttl = await a.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Another widget's secret opens nothing.
    let created = 0;
    await onProcess(b).claimOrCreate('secret-of-widget-d', async () => ({ visitorId: 62 + created++, token: 't' }));
    expect(created).toBe(1);
  });
});
