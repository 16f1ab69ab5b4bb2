import { describe, expect, it } from 'vitest';
import { HistoryCache } from './historyCache';

describe('history cache', () => {
  it('loads a thread once, then serves it until its conversation changes', () => {
    const cache = new HistoryCache();
    let loads = 0;
    const load = () => `[${++loads}]`;
    expect(cache.get(1, load).toString()).toBe('[1]');
    expect(cache.get(1, load).toString()).toBe('[1]');
    cache.invalidate(1);
    expect(cache.get(1, load).toString()).toBe('[2]');
  });

  it('counts its budget in UTF-8 bytes, not characters', () => {
    const cache = new HistoryCache(10);
    cache.get(1, () => '"éé"'); // 6 bytes
    cache.get(2, () => '"éé"'); // 12 > 10: 1 goes
    expect(cache.get(1, () => 'reloaded').toString()).toBe('reloaded');
  });

  it('drops the least recently used threads when over its byte budget', () => {
    const cache = new HistoryCache(10);
    cache.get(1, () => '1111');
    cache.get(2, () => '2222');
    cache.get(1, () => 'reloaded'); // 1 is now the most recent
    cache.get(3, () => '3333'); // 12 bytes > 10: 2 goes
    expect(cache.get(1, () => 'not again').toString()).toBe('1111');
    expect(cache.get(3, () => 'not again').toString()).toBe('3333');
    expect(cache.get(2, () => 'reloaded 2').toString()).toBe('reloaded 2');
  });

  it('builds a response around the thread once, and again only when its opening or the thread changes', () => {
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

  it('counts the enclosed copy against its byte budget', () => {
    const cache = new HistoryCache(20);
    cache.get(1, () => '1111'); // 4 bytes
    cache.enclosed(2, '{"m":', () => '2222'); // 4 + 10 bytes: 18 in all
    cache.enclosed(2, '{"mm":', () => 'not again'); // the 10-byte copy becomes 11: 19
    expect(cache.get(1, () => 'reloaded').toString()).toBe('1111');
    cache.enclosed(2, '{"mmm":', () => 'not again'); // 1 was used last; 2's copy grows to 12: 20
    cache.enclosed(2, '{"mmmm":', () => 'not again'); // 21 > 20: 1, the least recently used, goes
    expect(cache.get(1, () => 'reloaded').toString()).toBe('reloaded');
  });
});
