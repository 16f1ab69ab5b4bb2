// The raw writes against a real ws client, and the ws options they refuse to run beside.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { waitUntil } from '../testing';
import { rawSocketUpgrades, textFrames, type RawSocket } from './rawSocket';
import { createSocketServer } from './socketServer';

let server: Server | undefined;
let client: WebSocket | undefined;
afterEach(async () => {
  client?.terminate();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  client = server = undefined;
});

/** A RawSocket on Parley's own socket server, and the client at its other end. */
async function connectedPair(): Promise<{ raw: RawSocket; client: WebSocket }> {
  const sockets = createSocketServer();
  const opened = new Promise<RawSocket>((resolve) => {
    server = createServer();
    server.on('upgrade', (request, socket, head) => sockets.upgrade(request, socket, head, resolve));
  });
  await new Promise<void>((ready) => server?.listen(0, '127.0.0.1', () => ready()));
  const connecting = new WebSocket(`ws://127.0.0.1:${(server?.address() as AddressInfo).port}`);
  client = connecting;
  await new Promise((open) => connecting.once('open', open));
  return { raw: await opened, client: connecting };
}

describe('RawSocket', () => {
  it('sends a ping the client answers, and text frames it reads as ordinary messages', async () => {
    const { raw, client } = await connectedPair();
    const received: string[] = [];
    client.on('message', (data: Buffer) => received.push(data.toString()));
    let pongs = 0;
    raw.ws.on('pong', () => pongs++);
    raw.ping();
    raw.write(textFrames([Buffer.from('{"n":1}'), Buffer.from('{"n":2}')]));
    raw.ws.send('{"n":3}');
    await waitUntil(() => received.length, (n) => n === 3);
    await waitUntil(() => pongs, (n) => n === 1);
    expect(received).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('writes nothing once the socket is closing', async () => {
    const { raw } = await connectedPair();
    raw.ws.close();
    const queued = raw.ws.bufferedAmount;
    raw.write(textFrames([Buffer.alloc(32 * 1024 * 1024, 'x')]));
    expect(raw.ws.bufferedAmount).toBe(queued);
  });

  it("leaves its writes in ws's bufferedAmount, so the hub's slow-socket check sees them", async () => {
    const { raw } = await connectedPair();
    const wire = textFrames([Buffer.alloc(32 * 1024 * 1024, 'x')]);
    raw.write(wire);
    // More than a TCP send buffer holds: most of it is still queued right after the write.
    expect(raw.ws.bufferedAmount).toBeGreaterThan(16 * 1024 * 1024);
  });
});

describe('rawSocketUpgrades', () => {
  it('refuses a ws server with permessage-deflate, whose queued sends the raw writes would overtake', () => {
    const server = new WebSocketServer({ noServer: true, perMessageDeflate: true });
    expect(() => rawSocketUpgrades(server)).toThrow(/permessage-deflate must stay off/);
  });

  it('refuses a ws server with a WebSocket class of its own', () => {
    const server = new WebSocketServer({ noServer: true, WebSocket: class extends WebSocket {} });
    expect(() => rawSocketUpgrades(server)).toThrow(/ws's own WebSocket class/);
  });
});
