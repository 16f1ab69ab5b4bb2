import { describe, expect, it } from 'vitest';
import { describeSendFailure } from './sendErrors';

const graph = (code: number, subcode: number | null = null, message = '') => ({ kind: 'graph' as const, code, subcode, message });

describe('describeSendFailure', () => {
  it('explains each refusal in words an agent can act on', () => {
    expect(describeSendFailure(graph(10, 2018278))).toEqual({
      reason: "Outside Messenger's 24-hour window: reply with the HUMAN_AGENT tag (up to 7 days)",
      retry: false,
    });
    expect(describeSendFailure(graph(551, 1545041)).reason).toBe("This person isn't available on Messenger right now");
    expect(describeSendFailure(graph(190, 463)).reason).toBe('The Messenger page token has expired; update MESSENGER_PAGE_TOKEN');
    expect(describeSendFailure({ kind: 'network', message: 'fetch failed' })).toEqual({
      reason: 'Could not reach the Graph API: fetch failed',
      retry: false,
    });
  });

  it('retries rate limits only', () => {
    expect(describeSendFailure(graph(4)).retry).toBe(true);
    expect(describeSendFailure(graph(613)).retry).toBe(true);
    expect(describeSendFailure(graph(100, null, '(#100) Invalid parameter')).retry).toBe(false);
  });

  it("passes on Meta's own words for anything else", () => {
    const refusal = describeSendFailure(graph(100, null, '(#100) Invalid parameter'));
    expect(refusal.reason).toBe('Messenger refused the message: (#100) Invalid parameter');
  });
});
