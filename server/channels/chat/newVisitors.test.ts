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
});
