// The inbox's live feed: one agent WebSocket, reopened with backoff whenever it drops (every reconnect is
// reported, so the caller refetches what it missed); it also carries "viewing" and "typing" up.
import { AGENT_SOCKET_PATH } from '../../shared/limits';
import type { AgentClientFrame, AgentServerFrame } from '../../shared/protocol';

/** 'connecting' only before the first open; after any drop the feed is 'offline' until it is back. */
export type FeedStatus = 'connecting' | 'online' | 'offline';

export interface LiveFeedOptions {
  onFrame: (frame: AgentServerFrame) => void;
  onStatus: (status: FeedStatus) => void;
  /** After every open, the first included: whatever happened before it was not streamed to us. */
  onConnected: () => void;
  /** An attempt closed before it opened: the server is down, or it refused (the session ended). */
  onRefused?: () => void;
  url?: string;
  /** Injectable for tests; defaults to the browser's WebSocket. */
  WebSocketImpl?: typeof WebSocket;
}

export const FIRST_RETRY_MS = 500;
export const MAX_RETRY_MS = 10_000;

export function agentSocketUrl(where: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${where.protocol === 'https:' ? 'wss:' : 'ws:'}//${where.host}${AGENT_SOCKET_PATH}`;
}

function parse(data: unknown): AgentServerFrame | null {
  try {
    const frame: unknown = JSON.parse(String(data));
    return frame && typeof frame === 'object' && typeof (frame as { type?: unknown }).type === 'string'
      ? (frame as AgentServerFrame)
      : null;
  } catch {
    return null;
  }
}

export class LiveFeed {
  status: FeedStatus = 'connecting';
  private socket: WebSocket | null = null;
  /** The socket once it has opened, until it closes: the only one frames may be sent on. */
  private live: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;

  constructor(private readonly options: LiveFeedOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // Network back, or tab shown again (timers are throttled in the background): skip the wait.
    addEventListener('online', this.reconnectNow);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    removeEventListener('online', this.reconnectNow);
    document.removeEventListener('visibilitychange', this.onVisible);
    const socket = this.socket;
    this.socket = null; // before close(), so its close event is not taken for a drop
    this.live = null;
    socket?.close();
  }

  /** Sends a frame while connected; returns false (and sends nothing) while the feed is down. */
  send(frame: AgentClientFrame): boolean {
    if (!this.live) return false;
    this.live.send(JSON.stringify(frame));
    return true;
  }

  /** Tries at once instead of waiting out the backoff; does nothing while a socket exists. */
  readonly reconnectNow = (): void => {
    if (this.stopped || this.socket) return;
    clearTimeout(this.timer);
    this.connect();
  };

  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible') this.reconnectNow();
  };

  private connect(): void {
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    let socket: WebSocket;
    try {
      socket = new Impl(this.options.url ?? agentSocketUrl());
    } catch {
      this.dropped();
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.live = socket;
      this.attempts = 0;
      this.setStatus('online');
      this.options.onConnected();
    };
    socket.onmessage = (event: MessageEvent) => {
      const frame = parse(event.data);
      if (frame && this.socket === socket) this.options.onFrame(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.live = null;
      if (!opened) this.options.onRefused?.();
      this.dropped();
    };
  }

  private dropped(): void {
    if (this.stopped) return;
    this.setStatus('offline');
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempts);
    this.attempts++;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private setStatus(status: FeedStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
