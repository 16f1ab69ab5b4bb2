// How the widget comes back after the server restarts. Reconnect timing is what is tested, so the
// clock is fake and so is the socket: a stand-in server that is up, restarts (closing with 1012,
// as Parley does on SIGTERM), refuses connections for a while, and is up again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VisitorServerFrame } from '../shared/protocol';
import { ChatConnection } from './connection';

const server = { up: true };

class FakeSocket {
  static open: FakeSocket | null = null;
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;

  constructor() {
    setTimeout(() => {
      if (!server.up) return this.onclose?.({ code: 1006 }); // connection refused
      this.readyState = 1;
      FakeSocket.open = this;
      this.onopen?.();
    }, 10);
  }

  send(data: string): void {
    if ((JSON.parse(data) as { type: string }).type !== 'hello') return;
    const welcome: VisitorServerFrame = {
      type: 'welcome',
      known: true,
      forget: false,
      seenUpToSeq: 0,
      agentsOnline: true,
      team: [],
      email: null,
      askEmailAfterMs: 60_000,
      settings: {
        title: 'Chat with us',
        subtitle: '',
        greeting: 'Hi',
        color: '#4f46e5',
        textColor: '#ffffff',
        position: 'right',
        open: true,
        outsideHoursText: 'Away',
        askEmailAfterMs: 60_000,
      },
      history: [],
    };
    setTimeout(() => this.onmessage?.({ data: JSON.stringify(welcome) }), 1);
  }

  /** The server goes away with `code` (1012 on a graceful restart, 1006 when the link just drops). */
  drop(code: number): void {
    this.readyState = 3;
    FakeSocket.open = null;
    this.onclose?.({ code });
  }

  close(): void {
    this.drop(1000);
  }
}

let chat: ChatConnection;
afterEach(() => {
  chat.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function onlineVisitor(): ChatConnection {
  chat = new ChatConnection({
    socketUrl: 'ws://parley.test/ws/visitor',
    tokens: { read: () => 'visitor-token', write: () => {}, clear: () => {} },
    onChange: () => {},
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  });
  chat.start();
  return chat;
}

describe('after the server restarts', () => {
  it('is online again within 2 s of the server coming back, however long the restart took', async () => {
    vi.useFakeTimers();
    // The slowest end of the backoff's jitter: the case where a visitor waits longest.
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    server.up = true;
    const chat = onlineVisitor();
    await vi.advanceTimersByTimeAsync(100);
    expect(chat.status).toBe('online');

    server.up = false;
    FakeSocket.open!.drop(1012);
    expect(chat.status).toBe('offline');
    await vi.advanceTimersByTimeAsync(8_000); // a slow restart: every attempt meanwhile is refused
    server.up = true;
    await vi.advanceTimersByTimeAsync(2_100);
    expect(chat.status).toBe('online');
  });
});
