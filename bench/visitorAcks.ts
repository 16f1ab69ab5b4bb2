// One visitor chatting steadily, for the series that measure what something else costs chat (wrong
// sign-ins, a hostile email): each message is sent once the one before it is acknowledged, and every
// send → ack is timed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VISITOR_SOCKET_PATH } from '../shared/limits';
import type { VisitorServerFrame } from '../shared/protocol';
import { monotonicMs } from './latencyProbe';
import { freePort, startServerProcess, stopProcess } from './processes';
import { openSocket } from './wsClient';

export interface ScratchServer {
  serverUrl: string;
  visitorUrl: string;
  pid: number;
  /** The server's temporary folder (its database, and room for a series' own files). */
  dir: string;
  stop(): Promise<void>;
}

/**
 * A Parley process of its own on a fresh database in a temporary folder, for a series that measures
 * what something costs chat. The chat limits are off: its visitor writes as fast as it is answered.
 */
export async function startScratchServer(entry: string, name: string, env: Record<string, string>): Promise<ScratchServer> {
  const dir = mkdtempSync(join(tmpdir(), `parley-${name}-bench-`));
  const port = await freePort();
  const server = await startServerProcess(
    entry,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_DB: join(dir, 'parley.db'),
      PARLEY_LIMIT_MESSAGE_BURST: '0',
      PARLEY_LIMIT_MESSAGES_PER_MINUTE: '0',
      ...env,
    },
    /Parley is running/,
  );
  return {
    serverUrl: `http://127.0.0.1:${port}`,
    visitorUrl: `ws://127.0.0.1:${port}${VISITOR_SOCKET_PATH}`,
    pid: server.pid as number,
    dir,
    async stop() {
      await stopProcess(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
