import { describe, expect, it } from 'vitest';
import { HashQueue, HashQueueFullError } from './hashQueue';

/** A hash the test finishes by hand, so "how many run at once" needs no timing. */
function manualHash() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    run: () => {
      started = true;
      return done;
    },
    finish: () => finish(),
    get started() {
      return started;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('password hash queue', () => {
  it('runs at most `concurrency` hashes at once and starts the next as one finishes', async () => {
    const queue = new HashQueue({ concurrency: 2, maxWaiting: 10 });
    const hashes = [manualHash(), manualHash(), manualHash(), manualHash()];
    const results = hashes.map((h) => queue.run(h.run));
    await settle();
    expect(hashes.map((h) => h.started)).toEqual([true, true, false, false]);

    hashes[0]!.finish();
    await settle();
    expect(hashes.map((h) => h.started)).toEqual([true, true, true, false]);

    for (const h of hashes) h.finish();
    await Promise.all(results);
    expect(hashes.every((h) => h.started)).toBe(true);
  });

  it('refuses at once, without starting the hash, when the queue is full', async () => {
    const queue = new HashQueue({ concurrency: 1, maxWaiting: 1 });
    const running = manualHash();
    const waiting = manualHash();
    const refused = manualHash();
    const first = queue.run(running.run);
    const second = queue.run(waiting.run);
    await expect(queue.run(refused.run)).rejects.toBeInstanceOf(HashQueueFullError);
    expect(refused.started).toBe(false);

    running.finish();
    waiting.finish();
    await Promise.all([first, second]);
  });

  it('frees the slot when a hash fails', async () => {
    const queue = new HashQueue({ concurrency: 1, maxWaiting: 0 });
    await expect(queue.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    await expect(queue.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
