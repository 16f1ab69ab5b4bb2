// One visitor chatting steadily, for the series that measure what something else costs chat (wrong
// sign-ins, a hostile email): each message is sent once the one before it is acknowledged, and every
// send → ack is timed.
import type { VisitorServerFrame } from '../shared/protocol';
import { monotonicMs } from './latencyProbe';
import { openSocket } from './wsClient';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Send → ack times, in milliseconds, from one new visitor writing every `gapMs` until `until` settles. */
export async function timeVisitorAcks(url: string, tag: string, until: Promise<unknown>, gapMs = 20): Promise<number[]> {
  const socket = await openSocket(url, { origin: 'http://127.0.0.1:9' });
  let waiting: ((frame: VisitorServerFrame) => void) | null = null;
  socket.on('message', (data) => waiting?.(JSON.parse(data.toString()) as VisitorServerFrame));
  const next = (type: VisitorServerFrame['type']) =>
    new Promise<void>((resolve) => {
      waiting = (frame) => {
        if (frame.type !== type) return;
        waiting = null;
        resolve();
      };
    });
  const welcome = next('welcome');
  socket.send(JSON.stringify({ type: 'hello' }));
  await welcome;
  let done = false;
  void until.finally(() => (done = true));
  const samples: number[] = [];
  for (let n = 0; !done; n++) {
    const acked = next('ack');
    const sentAt = monotonicMs();
    socket.send(JSON.stringify({ type: 'send', clientId: `bench-${tag}-${n}`, body: `message ${n}` }));
    await acked;
    samples.push(monotonicMs() - sentAt);
    await sleep(gapMs);
  }
  socket.terminate();
  return samples;
}
