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
});
