import { describe, expect, it } from 'vitest';
import { windowRefusal } from './replyWindow';

describe('windowRefusal', () => {
  const hour = 60 * 60 * 1000;
  const wrote = 1_750_000_000_000;

  it('allows any reply within 24 hours of the last message', () => {
    expect(windowRefusal(wrote, undefined, wrote + 23 * hour)).toBeNull();
    expect(windowRefusal(wrote, 'HUMAN_AGENT', wrote + 23 * hour)).toBeNull();
  });

  it('asks for the HUMAN_AGENT tag between 24 hours and 7 days', () => {
    expect(windowRefusal(wrote, undefined, wrote + 25 * hour)).toMatch(/HUMAN_AGENT tag/);
    expect(windowRefusal(wrote, 'HUMAN_AGENT', wrote + 6 * 24 * hour)).toBeNull();
  });

  it('refuses everything after 7 days, or before the person ever wrote', () => {
    expect(windowRefusal(wrote, 'HUMAN_AGENT', wrote + 8 * 24 * hour)).toMatch(/more than 7 days ago/);
    expect(windowRefusal(null, 'HUMAN_AGENT', wrote)).toMatch(/has not written/);
  });
});
