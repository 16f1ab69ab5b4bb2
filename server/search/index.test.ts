import { describe, expect, it } from 'vitest';
import { ftsQuery } from './index';

describe('search query', () => {
  it('quotes every word and lets the last one be unfinished', () => {
    expect(ftsQuery('ship to norw')).toBe('"ship" "to" "norw"*');
  });

  it('never passes FTS5 syntax through from what an agent types', () => {
    expect(ftsQuery('body: NEAR(a b) OR "x')).toBe('"body" "NEAR" "a" "b" "OR" "x"*');
    expect(ftsQuery('*** ()')).toBeNull();
  });
});
