// The batch fan-out writes WebSocket frames itself (rawSocket.ts): a real ws client must read
// every frame whole, in order, whatever its length encoding, and the next ordinary send after it.
// And who counts as available: Status, open inboxes, and the grace period of a reload.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { AgentServerFrame } from '../../shared/protocol';
import { Hub } from './hub';
import type { RawSocket } from './rawSocket';
import { createSocketServer } from './socketServer';

const typing = (preview: string): AgentServerFrame => ({ type: 'visitorTyping', conversationId: 7, preview });

let server: Server | undefined;
let client: WebSocket | undefined;
afterEach(async () => {
  client?.terminate();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
});

/** A hub with one agent connected through a real socket; `received` collects the frames it reads. */
async function hubWithAgent(): Promise<{ hub: Hub; received: AgentServerFrame[]; nextFrames: (n: number) => Promise<void> }> {
  const hub = new Hub();
  const sockets = createSocketServer();
  server = createServer();
  server.on('upgrade', (request, socket, head) => sockets.upgrade(request, socket, head, (raw) => hub.addAgent(raw, 1)));
  await new Promise<void>((ready) => server?.listen(0, '127.0.0.1', () => ready()));
  const { port } = server.address() as AddressInfo;
  const received: AgentServerFrame[] = [];
  const waiters: { count: number; done: () => void }[] = [];
  client = new WebSocket(`ws://127.0.0.1:${port}`);
  client.on('message', (data: Buffer, isBinary) => {
    expect(isBinary).toBe(false);
    received.push(JSON.parse(data.toString()) as AgentServerFrame);
    for (const waiter of waiters) if (received.length >= waiter.count) waiter.done();
  });
  await new Promise<void>((open) => client?.once('open', () => open()));
  await new Promise<void>((added) => setImmediate(added)); // the server side's connection handler ran
  const nextFrames = (count: number) =>
    new Promise<void>((done) => (received.length >= count ? done() : waiters.push({ count, done })));
  return { hub, received, nextFrames };
}

describe('hub.inOneWrite', () => {
  it('delivers every held frame intact and in order, across all three length encodings', async () => {
    const { hub, received, nextFrames } = await hubWithAgent();
    // Payloads under 126 bytes, under 64 KiB (16-bit length) and over it (64-bit length).
    const previews = ['hi', 'é'.repeat(200), 'x'.repeat(70_000), 'last'];
    hub.inOneWrite(() => {
      for (const preview of previews) hub.toAgents(typing(preview));
    });
    hub.toAgents({ type: 'unread', conversations: 3 }); // an ordinary ws send after the batch
    await nextFrames(5);
    expect(received).toEqual([...previews.map(typing), { type: 'unread', conversations: 3 }]);
  });

  it('still delivers what was fanned out before the batch threw', async () => {
    const { hub, received, nextFrames } = await hubWithAgent();
    expect(() =>
      hub.inOneWrite(() => {
        hub.toAgents(typing('before'));
        throw new Error('broke half-way');
      }),
    ).toThrow('broke half-way');
    await nextFrames(1);
    expect(received).toEqual([typing('before')]);
  });
});

describe('hub availability', () => {
  /** An inbox socket stand-in: the hub only keys its maps by it here (no visitor hears anything). */
  const inbox = () => ({ ws: {} as WebSocket }) as unknown as RawSocket;

  it('counts Available agents with an inbox open, lets a reload pass within the grace period, and takes Away at once', () => {
    vi.useFakeTimers();
    try {
      const hub = new Hub(5_000);
      const changes = vi.fn();
      hub.onAvailableAgentsChanged(changes);
      const ada = inbox();
      hub.addAgent(ada, 1);
      hub.addAgent(inbox(), 2);
      expect(hub.availableAgentIds()).toEqual([1, 2]);
      expect(changes).toHaveBeenCalledTimes(2);

      // Ada reloads: gone for a moment, back within the grace period; nobody hears a thing.
      hub.removeAgent(ada.ws);
      vi.advanceTimersByTime(1_000);
      hub.addAgent(inbox(), 1);
      vi.advanceTimersByTime(10_000);
      expect(changes).toHaveBeenCalledTimes(2);

      hub.setAvailability(2, false);
      expect(hub.availableAgentIds()).toEqual([1]);
      hub.setAvailability(1, false);
      expect(hub.agentsOnline()).toBe(false);
      expect(changes).toHaveBeenCalledTimes(4);
      hub.setAvailability(1, true);
      expect(hub.agentsOnline()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets an agent whose last inbox closed once the grace period is over', () => {
    vi.useFakeTimers();
    try {
      const hub = new Hub(5_000);
      const tab = inbox();
      hub.addAgent(tab, 7);
      hub.removeAgent(tab.ws);
      expect(hub.agentsOnline()).toBe(true);
      vi.advanceTimersByTime(5_000);
      expect(hub.agentsOnline()).toBe(false);
      expect(hub.availableAgentIds()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
