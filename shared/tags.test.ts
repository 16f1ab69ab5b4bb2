import { describe, expect, it } from 'vitest';
import { fillTags, unknownTags } from './tags';

const grace = { contact: { name: 'Grace Brewster Hopper', email: 'grace@example.com' }, agent: { name: 'Ada' } };
const anonymous = { contact: { name: null, email: null }, agent: { name: 'Ada' } };

describe('personalization tags', () => {
  it('fills contact and agent tags', () => {
    expect(fillTags('Hi {{contact.first_name}}, {{agent.name}} here. We wrote to {{ contact.email }}.', grace)).toEqual({
      ok: true,
      text: 'Hi Grace, Ada here. We wrote to grace@example.com.',
    });
    expect(fillTags('{{contact.name}}', grace)).toEqual({ ok: true, text: 'Grace Brewster Hopper' });
  });

  it('uses the fallback when the value is unknown, and the value when it is known', () => {
    expect(fillTags('Hi {{contact.first_name | there}}!', anonymous)).toEqual({ ok: true, text: 'Hi there!' });
    expect(fillTags('Hi {{contact.first_name | there}}!', grace)).toEqual({ ok: true, text: 'Hi Grace!' });
  });

  it('refuses an unknown tag and names it', () => {
    const result = fillTags('Call {{contact.phone}} or {{ticket.id}}', grace);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Unknown tag \{\{contact\.phone\}\}, \{\{ticket\.id\}\}\./);
  });

  it('refuses a tag with no value and no fallback instead of sending it raw', () => {
    const result = fillTags('Hi {{contact.first_name}}', anonymous);
    expect(result).toEqual({
      ok: false,
      error: 'No value for {{contact.first_name}} in this conversation: add a fallback, e.g. {{contact.first_name | there}}',
    });
  });

  it('leaves text without tags alone, including lone braces', () => {
    expect(fillTags('a { b } {{ c', grace)).toEqual({ ok: true, text: 'a { b } {{ c' });
    expect(unknownTags('no tags here')).toEqual([]);
  });
});
