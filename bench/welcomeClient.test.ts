// The bench's visitor-socket client frames WebSocket traffic itself; a mistake there would print
// wrong figures, not fail. Tested against a real ws server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { timeWelcome } from './welcomeClient';

let server: WebSocketServer | null = null;

async function serve(answer: (hello: string) => string[]): Promise<{ url: string; closes: number[] }> {
  const closes: number[] = [];
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      for (const frame of answer(String(data))) socket.send(frame);
    });
    socket.on('close', (code) => closes.push(code));
  });
  await new Promise((ready) => server?.once('listening', ready));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/parley/socket`, closes };
}

afterEach(async () => {
  const open = server;
  server = null;
  if (open) await new Promise((done) => open.close(done));
});

describe('timeWelcome', () => {
  it('sends hello, times a welcome larger than one read, skips other frames, and closes cleanly', async () => {
    const history = Array.from({ length: 6_000 }, (_, i) => ({ id: i, body: `message ${i} — ünïcode` }));
    const welcome = JSON.stringify({ type: 'welcome', known: true, history });
    let heard = '';
    const { url, closes } = await serve((hello) => {
      heard = hello;
      return [JSON.stringify({ type: 'agentsOnline', online: true }), welcome];
    });

    const timing = await timeWelcome(url, { type: 'hello', token: 'abc' }, true);
    expect(JSON.parse(heard)).toEqual({ type: 'hello', token: 'abc' });
    expect(timing.frameBytes).toBe(Buffer.byteLength(welcome));
    expect(timing.frameBytes).toBeGreaterThan(256 * 1024); // more than one read buffer
    expect(timing.payload).toBe(welcome);
    expect(timing.opening.startsWith('{"type":"welcome","known":true')).toBe(true);
    expect(timing.helloToWelcomeMs).toBeGreaterThan(0);
    expect(timing.connectToWelcomeMs).toBeGreaterThanOrEqual(timing.helloToWelcomeMs);
    await expect.poll(() => closes).toEqual([1000]);
  });

  it('keeps only the opening when the payload is not wanted, for small and 16-bit lengths alike', async () => {
    const { url } = await serve(() => [JSON.stringify({ type: 'welcome', known: false, history: [], pad: 'x'.repeat(500) })]);
    const timing = await timeWelcome(url, { type: 'hello' }, false);
    expect(timing.payload).toBeNull();
    expect(timing.opening).toHaveLength(200);
    expect(timing.opening.startsWith('{"type":"welcome","known":false')).toBe(true);
  });

  it('fails clearly when the server refuses the upgrade', async () => {
    const refusing = createServer();
    refusing.on('upgrade', (_request, socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((ready) => refusing.listen(0, '127.0.0.1', ready));
    const url = `ws://127.0.0.1:${(refusing.address() as AddressInfo).port}/parley/socket`;
    await expect(timeWelcome(url, { type: 'hello' }, false)).rejects.toThrow('visitor socket refused: HTTP/1.1 403 Forbidden');
    await new Promise((done) => refusing.close(done));
  });
});
