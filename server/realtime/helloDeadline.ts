// Closes visitor sockets that never say hello: an idle socket still costs memory and a heartbeat,
// and a real widget says hello the moment its socket opens. Must stay cheap at 10,000 sockets: one
// shared timer sweeps a Map in opening order, so there is no timer or closure per socket.
import type { WebSocket } from 'ws';

/** Close code for a socket that said nothing in time (4000-4999: application-defined). */
export const HELLO_TIMEOUT_CLOSE_CODE = 4008;

export class HelloDeadline {
  /** Sockets not yet known to have said hello, with when they opened; Map order is opening order. */
  private readonly waiting = new Map<WebSocket, number>();
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly saidHello: (socket: WebSocket) => boolean,
    private readonly now: () => number = Date.now,
  ) {
    if (timeoutMs <= 0) return; // 0: no deadline
    // Checked a few times per timeout (at most once a second): a socket goes at most that late.
    this.timer = setInterval(() => this.sweep(), Math.min(1000, Math.max(25, timeoutMs / 4)));
    this.timer.unref();
  }

  track(socket: WebSocket): void {
    if (this.timer) this.waiting.set(socket, this.now());
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Oldest first: stops at the first socket still inside its time, since all after it are younger. */
  private sweep(): void {
    const cutoff = this.now() - this.timeoutMs;
    for (const [socket, openedAt] of this.waiting) {
      if (socket.readyState !== socket.OPEN || this.saidHello(socket)) {
        this.waiting.delete(socket);
        continue;
      }
      if (openedAt > cutoff) return;
      this.waiting.delete(socket);
      socket.close(HELLO_TIMEOUT_CLOSE_CODE, 'hello timeout');
    }
  }
}
