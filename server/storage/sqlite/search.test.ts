import { describe, expect, it } from 'vitest';
import { searchWords } from '../../search';
import { ftsQuery } from './search';

describe('the FTS5 query', () => {
  it('quotes every word and lets the last one be unfinished', () => {
    expect(ftsQuery(searchWords('ship to norw'))).toBe('"ship" "to" "norw"*');
  });

  it('never passes FTS5 syntax through from what an agent types', () => {
    expect(ftsQuery(searchWords('body: NEAR(a b) OR "x'))).toBe('"body" "NEAR" "a" "b" "OR" "x"*');
    expect(searchWords('*** ()')).toEqual([]);
  });
});
