import { describe, expect, it } from 'vitest';
import { createBatchWriter } from './inboundBatch';

describe('group commit of inbound messages', () => {
  it('commits everything added in one turn together, and answers each in order', async () => {
    const commits: number[][] = [];
    const writer = createBatchWriter<number, string>((items) => {
      commits.push(items);
      return items.map((n) => `stored ${n}`);
    });
    const answers = await Promise.all([writer.add(1), writer.add(2), writer.add(3)]);
    expect(commits).toEqual([[1, 2, 3]]);
    expect(answers).toEqual(['stored 1', 'stored 2', 'stored 3']);
  });

  it('fails only the item that failed, and every item when the commit itself fails', async () => {
    let broken = false;
    const writer = createBatchWriter<number, number>((items) => {
      if (broken) throw new Error('disk full');
      return items.map((n) => (n === 2 ? new Error('bad item') : n));
    });
    const results = await Promise.allSettled([writer.add(1), writer.add(2), writer.add(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    broken = true;
    const all = await Promise.allSettled([writer.add(4), writer.add(5)]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('fans out after the commit and before anyone is acknowledged', async () => {
    const events: string[] = [];
    const writer = createBatchWriter<number, number>(
      (items) => {
        events.push('commit');
        return items;
      },
      () => events.push('fan-out'),
    );
    await writer.add(1).then(() => events.push('ack'));
    expect(events).toEqual(['commit', 'fan-out', 'ack']);
  });
});
