// Presence must turn off when a visitor's network vanishes without a close frame.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentSession, connectVisitor, returningVisitorToken, startTestParley, type TestParley } from '../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

/** A 300 ms heartbeat, an agent's live feed, and a returning visitor the feed has seen come online. */
async function onlineVisitorWatchedByAgent() {
  parley = await startTestParley({ heartbeatMs: 300 });
  const agent = await AgentSession.signIn(parley);
  const token = await returningVisitorToken(parley);
  const feed = await agent.openSocket();
  const { client } = await connectVisitor(parley, { token });
  await feed.next('presence', (f) => f.online);
  return { feed, client };
}

describe('heartbeat', () => {
  it('drops a silent visitor socket and turns their green dot off within two intervals', async () => {
    const { feed, client } = await onlineVisitorWatchedByAgent();
    // The network goes away: the client stops reading, so pings go unanswered and no close is sent.
    const transport = (client.socket as unknown as { _socket: Socket })._socket;
    transport.pause();
    // Two 300 ms intervals find it; the generous wait keeps a slow CI from failing on timing alone.
    const offline = await feed.next('presence', (f) => !f.online, 5000);
    expect(offline.online).toBe(false);
  });

  it('keeps a visitor who answers the pings online, interval after interval', async () => {
    const { feed, client } = await onlineVisitorWatchedByAgent();
    let pings = 0;
    client.socket.on('ping', () => pings++);
    // Five intervals: each pong must count, or the second check would drop this socket.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(feed.frames.filter((f) => f.type === 'presence' && !f.online)).toEqual([]);
  });
});
