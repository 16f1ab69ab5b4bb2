import { describe, expect, it } from 'vitest';
import { openingBefore, withTail } from './jsonWithTail';

describe('a JSON object with a pre-serialised tail', () => {
  it('parses to the same object as stringifying it whole', () => {
    const head = { type: 'welcome', visitor: { id: 7, name: 'Zoë "Z"' }, agentsOnline: true };
    const tail = '[{"id":1,"body":"héllo ✓"}]';
    const bytes = withTail(openingBefore('history', head), Buffer.from(tail));
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ ...head, history: JSON.parse(tail) });
  });

  it('works with nothing before the tail', () => {
    expect(JSON.parse(withTail(openingBefore('messages', {}), '[]').toString())).toEqual({ messages: [] });
  });
});
