import { describe, expect, it } from 'vitest';
import { HistoryCache } from './historyCache';

describe('history cache', () => {
  it('loads a thread once, builds a response around it once, and again only when its opening or the thread changes', async () => {
    const cache = new HistoryCache();
    let loads = 0;
    const load = async () => `[${++loads}]`;
    const first = await cache.enclosed(1, '{"a":1,"messages":', load);
    expect(first.toString()).toBe('{"a":1,"messages":[1]}');
    expect(await cache.enclosed(1, '{"a":1,"messages":', load)).toBe(first); // the same bytes, not a copy
    expect((await cache.enclosed(1, '{"a":2,"messages":', load)).toString()).toBe('{"a":2,"messages":[1]}');
    cache.invalidate(1);
    expect((await cache.enclosed(1, '{"a":2,"messages":', load)).toString()).toBe('{"a":2,"messages":[2]}');
  });

  // With an empty opening an entry costs its thread twice plus one byte: the thread and the response.
  it('counts its budget in UTF-8 bytes, not characters', async () => {
    const cache = new HistoryCache(20);
    await cache.enclosed(1, '', async () => '"éé"'); // 6 + 7 bytes (9 characters)
    await cache.enclosed(2, '', async () => '"éé"'); // 26 bytes > 20: 1 goes (18 characters would have fitted)
    expect((await cache.enclosed(1, '', async () => 'reloaded')).toString()).toBe('reloaded}');
  });

  it('drops the least recently used threads when over its byte budget', async () => {
    const cache = new HistoryCache(25);
    await cache.enclosed(1, '', async () => '1111'); // 9 bytes
    await cache.enclosed(2, '', async () => '2222'); // 18
    await cache.enclosed(1, '', async () => 'reloaded'); // 1 is now the most recent
    await cache.enclosed(3, '', async () => '3333'); // 27 > 25: 2 goes
    expect((await cache.enclosed(1, '', async () => 'not again')).toString()).toBe('1111}');
    expect((await cache.enclosed(3, '', async () => 'not again')).toString()).toBe('3333}');
    expect((await cache.enclosed(2, '', async () => 'reloaded 2')).toString()).toBe('reloaded 2}');
  });

  it('counts a rebuilt response against its byte budget in place of the old one', async () => {
    const cache = new HistoryCache(30);
    await cache.enclosed(1, '', async () => '1111'); // 9 bytes
    await cache.enclosed(2, '{"m":', async () => '2222'); // 4 + 10: 23 in all
    await cache.enclosed(2, '{"mm":', async () => 'not again'); // the 10-byte response becomes 11: 24
    await cache.enclosed(1, '', async () => 'not again'); // 1 is now the most recent
    await cache.enclosed(2, '{"mmmmmmm":', async () => 'not again'); // 2's response grows to 16: 29, 1 stays
    expect((await cache.enclosed(1, '', async () => 'reloaded')).toString()).toBe('1111}');
    await cache.enclosed(2, '{"mmmmmmmm":', async () => 'not again'); // 17: 30, 1 stays
    await cache.enclosed(2, '{"mmmmmmmmm":', async () => 'not again'); // 18: 31 > 30: 1, the least recently used, goes
    expect((await cache.enclosed(1, '', async () => 'reloaded')).toString()).toBe('reloaded}');
  });

  it('does not keep a thread that changed while it was loading, so the next load sees the change', async () => {
    const cache = new HistoryCache();
    let finishLoad!: (json: string) => void;
    const slow = cache.enclosed(1, '', () => new Promise<string>((done) => (finishLoad = done)));
    cache.invalidate(1); // a message was stored after the load began
    finishLoad('[old]');
    expect((await slow).toString()).toBe('[old]}');
    expect((await cache.enclosed(1, '', async () => '[old,new]')).toString()).toBe('[old,new]}');
  });
});
