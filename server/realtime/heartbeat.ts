// Finds dead sockets (tab killed, network gone) that never send a close: ping every socket once per
// interval and terminate any that did not pong since its last ping, so presence turns off within
// two intervals. Sockets are spread over slices pinged in turn, so 10,000 pings never land in one
// tick and stall the event loop.
import type { WebSocket } from 'ws';

/** 10,000 sockets at a 2 s interval: 250 pings every 50 ms, never a 10,000-ping stall. */
const SLICES = 40;

export class Heartbeat {
  private readonly slices: Set<WebSocket>[] = Array.from({ length: SLICES }, () => new Set());
  private readonly alive = new WeakSet<WebSocket>();
  private next = 0;
  private current = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(intervalMs: number) {
    this.timer = setInterval(() => this.beat(), intervalMs / SLICES);
    this.timer.unref();
  }

  track(socket: WebSocket): void {
    const slice = this.slices[this.next++ % SLICES] as Set<WebSocket>;
    slice.add(socket);
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
    socket.on('close', () => slice.delete(socket));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    const slice = this.slices[this.current] as Set<WebSocket>;
    this.current = (this.current + 1) % SLICES;
    for (const socket of slice) {
      if (!this.alive.has(socket)) {
        socket.terminate();
        continue;
      }
      this.alive.delete(socket);
      socket.ping();
    }
  }
}
