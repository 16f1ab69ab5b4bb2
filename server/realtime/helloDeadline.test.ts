// A visitor socket that never says hello is closed; one that does is kept (real server, real sockets).
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defaultVisitorLimits } from '../config';
import { FrameClient, startTestParley, visitorSocketUrl, type TestParley } from '../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

describe('hello deadline', () => {
  it('closes a visitor socket that says no hello in time, and keeps one that did', async () => {
    parley = await startTestParley({ limits: { ...defaultVisitorLimits, helloTimeoutMs: 200 } });
    const greeted = await FrameClient.open(visitorSocketUrl(parley));
    greeted.send({ type: 'hello' });
    await greeted.next('welcome');
    const silent = await FrameClient.open(visitorSocketUrl(parley));
    expect(await silent.closed).toBe(4008);
    expect(greeted.socket.readyState).toBe(WebSocket.OPEN);
  });
});
