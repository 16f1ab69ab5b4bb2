import { describe, expect, it } from 'vitest';
import { ftsQuery, searchWords, snippet } from './index';

describe('search query', () => {
  it('quotes every word and lets the last one be unfinished', () => {
    expect(ftsQuery(searchWords('ship to norw'))).toBe('"ship" "to" "norw"*');
  });

  it('never passes FTS5 syntax through from what an agent types', () => {
    expect(ftsQuery(searchWords('body: NEAR(a b) OR "x'))).toBe('"body" "NEAR" "a" "b" "OR" "x"*');
    expect(searchWords('*** ()')).toEqual([]);
  });

  it('cuts a snippet around the first hit and marks the whole matched word', () => {
    expect(snippet('Do you ship espresso beans to Norway?', ['norw'])).toBe('Do you ship espresso beans to «Norway»?');
    const long = `${'a'.repeat(100)} needle ${'b'.repeat(100)}`;
    expect(snippet(long, ['needle'])).toBe(`…${'a'.repeat(49)} «needle» ${'b'.repeat(49)}…`);
  });
});
