// The per-address socket cap against a real server: the socket past it is refused at the upgrade.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defaultVisitorLimits } from '../config';
import { startTestParley, visitorSocketUrl, waitUntil, type TestParley } from '../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

/** Opens a visitor socket from `address` (as a trusted proxy reports it): 'open', or the HTTP status and Retry-After it got. */
function attempt(address: string): Promise<{ socket: WebSocket; result: string }> {
  const socket = new WebSocket(visitorSocketUrl(parley), { headers: { 'x-forwarded-for': address } });
  return new Promise((resolve) => {
    socket.once('open', () => resolve({ socket, result: 'open' }));
    socket.once('unexpected-response', (_request, response) =>
      resolve({ socket, result: `${response.statusCode} retry-after=${response.headers['retry-after']}` }),
    );
  });
}

describe('visitor sockets per address', () => {
  it('refuses the socket one over the cap with 429 and Retry-After, until one of the others closes', async () => {
    parley = await startTestParley({ limits: { ...defaultVisitorLimits, socketsPerIp: 2 }, trustProxy: 1 });
    const first = await attempt('203.0.113.7');
    const second = await attempt('203.0.113.7');
    expect([first.result, second.result]).toEqual(['open', 'open']);
    expect((await attempt('203.0.113.7')).result).toBe('429 retry-after=10');
    expect((await attempt('198.51.100.9')).result).toBe('open'); // another address has its own cap

    first.socket.close();
    await waitUntil(async () => (await attempt('203.0.113.7')).result, (result) => result === 'open');
  });

  it('counts nothing when the cap is 0', async () => {
    parley = await startTestParley({ limits: { ...defaultVisitorLimits, socketsPerIp: 0 } });
    const results = await Promise.all(Array.from({ length: 60 }, () => attempt('127.0.0.1')));
    expect(results.every((r) => r.result === 'open')).toBe(true);
    for (const { socket } of results) socket.close();
  });
});
