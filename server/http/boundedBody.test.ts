import { describe, expect, it } from 'vitest';
import { readBounded } from './boundedBody';

const streamOf = (chunks: Uint8Array[]) => {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[pulled++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
  return { stream, pulled: () => pulled };
};

describe('readBounded', () => {
  it('joins the chunks of a body, in order, whatever size it guessed', async () => {
    const chunks = Array.from({ length: 40 }, (_, i) => new Uint8Array(10_000).fill(i));
    const bytes = await readBounded(streamOf(chunks).stream, 1_000_000, 10);
    expect(bytes?.length).toBe(400_000);
    expect([bytes?.[0], bytes?.[10_000], bytes?.[399_999]]).toEqual([0, 1, 39]);
  });

  it('stops reading past the cap and says so, instead of taking in the rest', async () => {
    const chunks = Array.from({ length: 100 }, () => new Uint8Array(1_000));
    const { stream, pulled } = streamOf(chunks);
    expect(await readBounded(stream, 5_500)).toBeNull();
    expect(pulled()).toBeLessThan(10);
  });

  it('reads an empty or missing body as no bytes', async () => {
    expect((await readBounded(null, 10))?.length).toBe(0);
    expect((await readBounded(streamOf([]).stream, 10))?.length).toBe(0);
  });
});
