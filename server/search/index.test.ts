import { describe, expect, it } from 'vitest';
import { searchWords, snippet } from './index';

describe('search query', () => {
  it('takes only the letters and digits of what an agent types', () => {
    expect(searchWords('body: NEAR(a b) OR "x')).toEqual(['body', 'NEAR', 'a', 'b', 'OR', 'x']);
    expect(searchWords('*** ()')).toEqual([]);
  });

  it('cuts a snippet around the first hit and marks the whole matched word', () => {
    expect(snippet('Do you ship espresso beans to Norway?', ['norw'])).toBe('Do you ship espresso beans to «Norway»?');
    const long = `${'a'.repeat(100)} needle ${'b'.repeat(100)}`;
    expect(snippet(long, ['needle'])).toBe(`…${'a'.repeat(49)} «needle» ${'b'.repeat(49)}…`);
  });

  it('marks the word the search found whatever its accents or case, and never a word that only contains the query', () => {
    expect(snippet('We worship coffee at the Café Noir', ['cafe'])).toBe('We worship coffee at the «Café» Noir');
    expect(snippet('We worship coffee at the cafe', ['café'])).toBe('We worship coffee at the «cafe»');
    expect(snippet('Worship here, then ship it', ['ship'])).toBe('Worship here, then «ship» it');
    expect(snippet('Order 42 for Zoë', ['zoe'])).toBe('Order 42 for «Zoë»');
  });
});
