import { describe, expect, it } from 'vitest';
import { NewVisitors } from './newVisitors';

describe('new visitors, claimable by the secret their widget generated', () => {
  it('hands back the visitor only for the secret it was created with', () => {
    const visitors = new NewVisitors();
    visitors.remember('secret-of-widget-a-0123456789', { visitorId: 7, token: 'token-a' });
    expect(visitors.claim('secret-of-widget-a-0123456789')).toEqual({ visitorId: 7, token: 'token-a' });
    expect(visitors.claim('secret-of-widget-b-0123456789')).toBeNull();
  });

  it('keeps no secret in memory, only its hash', () => {
    const visitors = new NewVisitors();
    visitors.remember('secret-of-widget-a-0123456789', { visitorId: 7, token: 'token-a' });
    const kept = [...(visitors as unknown as { byClaimHash: Map<string, unknown> }).byClaimHash.keys()];
    expect(kept).toHaveLength(1);
    expect(kept[0]).not.toContain('secret-of-widget-a');
  });

  it('forgets a visitor once the claim window has passed', () => {
    let now = 1_000;
    const visitors = new NewVisitors(60_000, () => now);
    visitors.remember('client-a', { visitorId: 7, token: 'token-a' });
    now += 59_999;
    expect(visitors.claim('client-a')).not.toBeNull();
    now += 1;
    expect(visitors.claim('client-a')).toBeNull();
  });

  it('creates one visitor when a resend with the same secret arrives while the first is still being created', async () => {
    const visitors = new NewVisitors();
    let created = 0;
    let finish!: () => void;
    const create = () =>
      new Promise<{ visitorId: number; token: string }>((done) => {
        const id = ++created;
        finish = () => done({ visitorId: id, token: `token-${id}` });
      });
    const first = visitors.claimOrCreate('secret-of-widget-a', create);
    const resend = visitors.claimOrCreate('secret-of-widget-a', create);
    finish();
    expect(await first).toEqual({ visitorId: 1, token: 'token-1' });
    expect(await resend).toEqual({ visitorId: 1, token: 'token-1' });
    expect(created).toBe(1);
    expect(await visitors.claimOrCreate('secret-of-widget-b', async () => ({ visitorId: 2, token: 'token-2' }))).toEqual({ visitorId: 2, token: 'token-2' });
  });

  it('lets a resend try again when the first creation was refused, and remembers nothing refused', async () => {
    const visitors = new NewVisitors();
    expect(await visitors.claimOrCreate('secret-of-widget-a', async () => null)).toBeNull();
    expect(visitors.claim('secret-of-widget-a')).toBeNull();
    expect(await visitors.claimOrCreate('secret-of-widget-a', async () => ({ visitorId: 3, token: 'token-3' }))).toEqual({ visitorId: 3, token: 'token-3' });
  });
});
