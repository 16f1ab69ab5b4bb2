import { describe, expect, it } from 'vitest';
import { HistoryCache } from './historyCache';

describe('history cache', () => {
  it('loads a thread once, builds a response around it once, and again only when its opening or the thread changes', () => {
    const cache = new HistoryCache();
    let loads = 0;
    const load = () => `[${++loads}]`;
    const first = cache.enclosed(1, '{"a":1,"messages":', load);
    expect(first.toString()).toBe('{"a":1,"messages":[1]}');
    expect(cache.enclosed(1, '{"a":1,"messages":', load)).toBe(first); // the same bytes, not a copy
    expect(cache.enclosed(1, '{"a":2,"messages":', load).toString()).toBe('{"a":2,"messages":[1]}');
    cache.invalidate(1);
    expect(cache.enclosed(1, '{"a":2,"messages":', load).toString()).toBe('{"a":2,"messages":[2]}');
  });

  // With an empty opening an entry costs its thread twice plus one byte: the thread and the response.
  it('counts its budget in UTF-8 bytes, not characters', () => {
    const cache = new HistoryCache(20);
    cache.enclosed(1, '', () => '"éé"'); // 6 + 7 bytes (9 characters)
    cache.enclosed(2, '', () => '"éé"'); // 26 bytes > 20: 1 goes (18 characters would have fitted)
    expect(cache.enclosed(1, '', () => 'reloaded').toString()).toBe('reloaded}');
  });

  it('drops the least recently used threads when over its byte budget', () => {
    const cache = new HistoryCache(25);
    cache.enclosed(1, '', () => '1111'); // 9 bytes
    cache.enclosed(2, '', () => '2222'); // 18
    cache.enclosed(1, '', () => 'reloaded'); // 1 is now the most recent
    cache.enclosed(3, '', () => '3333'); // 27 > 25: 2 goes
    expect(cache.enclosed(1, '', () => 'not again').toString()).toBe('1111}');
    expect(cache.enclosed(3, '', () => 'not again').toString()).toBe('3333}');
    expect(cache.enclosed(2, '', () => 'reloaded 2').toString()).toBe('reloaded 2}');
  });

  it('counts a rebuilt response against its byte budget in place of the old one', () => {
    const cache = new HistoryCache(30);
    cache.enclosed(1, '', () => '1111'); // 9 bytes
    cache.enclosed(2, '{"m":', () => '2222'); // 4 + 10: 23 in all
    cache.enclosed(2, '{"mm":', () => 'not again'); // the 10-byte response becomes 11: 24
    cache.enclosed(1, '', () => 'not again'); // 1 is now the most recent
    cache.enclosed(2, '{"mmmmmmm":', () => 'not again'); // 2's response grows to 16: 29, 1 stays
    expect(cache.enclosed(1, '', () => 'reloaded').toString()).toBe('1111}');
    cache.enclosed(2, '{"mmmmmmmm":', () => 'not again'); // 17: 30, 1 stays
    cache.enclosed(2, '{"mmmmmmmmm":', () => 'not again'); // 18: 31 > 30: 1, the least recently used, goes
    expect(cache.enclosed(1, '', () => 'reloaded').toString()).toBe('reloaded}');
  });
});
