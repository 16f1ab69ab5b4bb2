// Presence must turn off when a visitor's network vanishes without a close frame.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentSession, connectVisitor, returningVisitorToken, startTestParley, type TestParley } from '../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

describe('heartbeat', () => {
  it('drops a silent visitor socket and turns their green dot off within two intervals', async () => {
    parley = await startTestParley({ heartbeatMs: 300 });
    const agent = await AgentSession.signIn(parley);
    const token = await returningVisitorToken(parley);
    const feed = await agent.openSocket();
    const { client } = await connectVisitor(parley, { token });
    await feed.next('presence', (f) => f.online);
    // The network goes away: the client stops reading, so pings go unanswered and no close is sent.
    const transport = (client.socket as unknown as { _socket: Socket })._socket;
    transport.pause();
    const started = Date.now();
    await feed.next('presence', (f) => !f.online, 3000);
    expect(Date.now() - started).toBeLessThan(2 * 300 + 500);
  });
});
