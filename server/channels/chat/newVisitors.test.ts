import { describe, expect, it } from 'vitest';
import { NewVisitors } from './newVisitors';

describe('new visitors, claimable by their first message', () => {
  it('hands back the visitor a first message created, only for that clientId', () => {
    const visitors = new NewVisitors();
    visitors.remember('client-a', { visitorId: 7, token: 'token-a' });
    expect(visitors.claim('client-a')).toEqual({ visitorId: 7, token: 'token-a' });
    expect(visitors.claim('client-b')).toBeNull();
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
