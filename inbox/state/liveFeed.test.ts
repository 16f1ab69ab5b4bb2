// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { agentSocketUrl, LiveFeed, type FeedStatus } from './liveFeed';
import { asWebSocket, FakeSocket, summary } from '../testing/testSupport';

let feed: LiveFeed | undefined;

function startFeed() {
  const events = { frames: [] as unknown[], statuses: [] as FeedStatus[], connected: 0, refused: 0 };
  feed = new LiveFeed({
    url: 'ws://inbox.test/ws/agent',
    WebSocketImpl: asWebSocket,
    onFrame: (f) => events.frames.push(f),
    onStatus: (s) => events.statuses.push(s),
    onConnected: () => events.connected++,
    onRefused: () => events.refused++,
  });
  feed.start();
  return events;
}

beforeEach(() => {
  FakeSocket.reset();
  vi.useFakeTimers();
});

afterEach(() => {
  feed?.stop();
  feed = undefined;
  vi.useRealTimers();
});

describe('the agent live feed', () => {
  it('connects to /ws/agent on the page’s own host, over wss on https', () => {
    expect(agentSocketUrl({ protocol: 'https:', host: 'chat.example.com' })).toBe('wss://chat.example.com/ws/agent');
    expect(agentSocketUrl({ protocol: 'http:', host: 'localhost:3000' })).toBe('ws://localhost:3000/ws/agent');
  });

  it('passes frames on and reports every connect, so the page can refetch', () => {
    const events = startFeed();
    FakeSocket.last.open();
    const frame = { type: 'presence', conversationId: 1, online: true } as const;
    FakeSocket.last.push(frame);
    expect(events.frames).toEqual([frame]);
    expect(events.connected).toBe(1);
    expect(events.statuses).toEqual(['online']);
  });

  it('ignores frames that are not JSON objects with a type', () => {
    const events = startFeed();
    FakeSocket.last.open();
    FakeSocket.last.onmessage?.({ data: 'not json' });
    FakeSocket.last.onmessage?.({ data: '42' });
    FakeSocket.last.push({ type: 'conversation', conversation: summary({ id: 2 }) });
    expect(events.frames).toHaveLength(1);
  });

  it('reconnects after a drop with a backoff that doubles from 0.5 s up to 10 s', () => {
    const events = startFeed();
    FakeSocket.last.open();
    FakeSocket.last.drop();
    expect(events.statuses.at(-1)).toBe('offline');
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeSocket.instances.length;
      let waited = 0;
      while (FakeSocket.instances.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
      FakeSocket.last.drop(); // refused again before opening
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
    expect(events.refused).toBe(7);
  });

  it('reports the reconnect and starts the backoff over once a socket opens again', () => {
    const events = startFeed();
    FakeSocket.last.open();
    FakeSocket.last.drop();
    vi.advanceTimersByTime(500);
    FakeSocket.last.open();
    expect(events.connected).toBe(2);
    expect(events.statuses).toEqual(['online', 'offline', 'online']);
    FakeSocket.last.drop();
    const before = FakeSocket.instances.length;
    vi.advanceTimersByTime(500);
    expect(FakeSocket.instances.length).toBe(before + 1);
  });

  it('skips the wait when the network comes back', () => {
    startFeed();
    FakeSocket.last.drop();
    const before = FakeSocket.instances.length;
    window.dispatchEvent(new Event('online'));
    expect(FakeSocket.instances.length).toBe(before + 1);
  });

  it('sends frames only while a socket is open', () => {
    startFeed();
    expect(feed?.send({ type: 'viewing', conversationId: 4 })).toBe(false);
    FakeSocket.last.open();
    expect(feed?.send({ type: 'viewing', conversationId: 4 })).toBe(true);
    expect(FakeSocket.last.sent).toEqual([{ type: 'viewing', conversationId: 4 }]);
    FakeSocket.last.drop();
    expect(feed?.send({ type: 'typing', conversationId: 4 })).toBe(false);
  });

  it('stays down after stop', () => {
    startFeed();
    const socket = FakeSocket.last;
    socket.open();
    feed?.stop();
    expect(socket.closed).toBe(true);
    socket.onclose?.();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});
