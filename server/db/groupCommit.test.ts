import { describe, expect, it, vi } from 'vitest';
import { createBatchWriter } from './groupCommit';

describe('group commit of inbound messages', () => {
  it('commits everything added in one turn together, and answers each in order', async () => {
    const commits: number[][] = [];
    const writer = createBatchWriter<number, string>({
      commit: async (items) => {
        commits.push(items);
        return items.map((n) => `stored ${n}`);
      },
    });
    const answers = await Promise.all([writer.add(1), writer.add(2), writer.add(3)]);
    expect(commits).toEqual([[1, 2, 3]]);
    expect(answers).toEqual(['stored 1', 'stored 2', 'stored 3']);
  });

  it('fails only the item that failed, and every item when the commit itself fails', async () => {
    let broken = false;
    const writer = createBatchWriter<number, number>({
      commit: async (items) => {
        if (broken) throw new Error('disk full');
        return items.map((n) => (n === 2 ? new Error('bad item') : n));
      },
    });
    const results = await Promise.allSettled([writer.add(1), writer.add(2), writer.add(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    broken = true;
    const all = await Promise.allSettled([writer.add(4), writer.add(5)]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('fans out once the batch is on disk, and before anyone is acknowledged', async () => {
    const events: string[] = [];
    const writer = createBatchWriter<number, number>({
      commit: async (items) => {
        events.push(`commit ${items.join(',')}`);
        return items;
      },
      durable: async () => {
        events.push('fsync');
      },
      afterDurable: (items) => events.push(`fan-out ${items.join(',')}`),
    });
    await writer.add(1).then(() => events.push('ack 1'));
    expect(events).toEqual(['commit 1', 'fsync', 'fan-out 1', 'ack 1']);
  });

  it('gathers what arrives during an fsync into the next batch, in order', async () => {
    const commits: number[][] = [];
    let finishFsync = () => {};
    const writer = createBatchWriter<number, number>({
      commit: async (items) => {
        commits.push(items);
        return items;
      },
      durable: () => new Promise<void>((resolve) => (finishFsync = resolve)),
    });
    const first = writer.add(1);
    await new Promise((resolve) => setImmediate(resolve)); // batch [1] is committed, its fsync pending
    const later = [writer.add(2), writer.add(3)];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(commits).toEqual([[1]]); // nothing else is committed while the disk is busy
    finishFsync();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(commits).toEqual([[1], [2, 3]]);
    finishFsync();
    expect(await Promise.all(later)).toEqual([2, 3]);
  });

  it('commits nothing while writes are paused, then everything that gathered meanwhile as one batch', async () => {
    const commits: number[][] = [];
    let endPause = () => {};
    let paused: Promise<void> | null = new Promise<void>((resolve) => (endPause = resolve));
    const writer = createBatchWriter<number, number>({
      ready: () => paused,
      commit: async (items) => {
        commits.push(items);
        return items;
      },
    });
    const first = writer.add(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = [writer.add(2), writer.add(3)];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(commits).toEqual([]);
    paused = null;
    endPause();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(commits).toEqual([[1, 2, 3]]);
  });

  it('does not acknowledge a batch whose fsync failed', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let diskFails = true;
    const fannedOut: number[] = [];
    const writer = createBatchWriter<number, number>({
      commit: async (items) => items,
      durable: () => (diskFails ? Promise.reject(new Error('EIO')) : Promise.resolve()),
      afterDurable: (items) => fannedOut.push(...items),
    });
    await expect(writer.add(1)).rejects.toThrow('EIO');
    diskFails = false;
    expect(await writer.add(2)).toBe(2); // the writer carries on with the next batch
    expect(fannedOut).toEqual([2]);
  });

  it('says it is drained only once every message added so far is on disk and answered', async () => {
    const events: string[] = [];
    let finishFsync = () => {};
    const writer = createBatchWriter<number, number>({
      commit: async (items) => items,
      durable: () => new Promise<void>((resolve) => (finishFsync = resolve)),
    });
    void writer.add(1).then(() => events.push('ack 1'));
    await new Promise((resolve) => setImmediate(resolve)); // [1] committed, its fsync pending
    void writer.add(2).then(() => events.push('ack 2'));
    const drained = writer.drained().then(() => events.push('drained'));
    finishFsync();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['ack 1']); // [2] is still waiting for its own fsync
    finishFsync();
    await drained;
    expect(events).toEqual(['ack 1', 'ack 2', 'drained']);
  });
});
