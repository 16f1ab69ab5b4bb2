// The fragment-array reuse against a real ws server and client: messages arrive exactly as sent,
// whole or in fragments, and the socket keeps one array for them.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { waitUntil } from '../testing';
import { reuseWsFragmentArrays } from './fragmentReuse';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A server that records what its one socket receives, and a client connected to it. */
async function connectedPair() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  servers.push(server);
  await new Promise((ready) => server.once('listening', ready));
  const received: { data: string; isBinary: boolean }[] = [];
  const serverSide = new Promise<WebSocket>((resolve) =>
    server.once('connection', (socket) => {
      socket.on('message', (data: Buffer, isBinary) => received.push({ data: data.toString(), isBinary }));
      resolve(socket);
    }),
  );
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await new Promise((open) => client.once('open', open));
  return { client, socket: await serverSide, received };
}

const fragmentsOf = (socket: WebSocket) => (socket as unknown as { _receiver: { _fragments: unknown[] } })._receiver._fragments;

describe('ws fragment-array reuse', () => {
  it('applies to the ws version Parley ships with', () => {
    // If ws changed its internals this returns false: chat still works, but the old generation
    // grows about 1 MB/s again at 2,000 msg/s (see fragmentReuse.ts).
    expect(reuseWsFragmentArrays()).toBe(true);
  });

  it('delivers whole, fragmented and binary messages exactly as sent, with one array per socket', async () => {
    reuseWsFragmentArrays();
    const { client, socket, received } = await connectedPair();
    client.send('first message');
    await waitUntil(() => received.length, (n) => n === 1);
    const array = fragmentsOf(socket);

    client.send('héllo ', { fin: false });
    client.send('in three ', { fin: false });
    client.send('pieces', { fin: true });
    client.send(Buffer.from([1, 2, 3]), { binary: true });
    client.send('last <b>one</b>');
    await waitUntil(() => received.length, (n) => n === 4);

    expect(received).toEqual([
      { data: 'first message', isBinary: false },
      { data: 'héllo in three pieces', isBinary: false },
      { data: '\u0001\u0002\u0003', isBinary: true },
      { data: 'last <b>one</b>', isBinary: false },
    ]);
    expect(fragmentsOf(socket)).toBe(array);
    expect(array).toHaveLength(0);
    client.close();
  });
});
