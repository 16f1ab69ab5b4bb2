// Counts the visitor sockets open from each client address, so one address cannot hold thousands
// open (each costs memory and a heartbeat). Remembers only addresses with a socket open right now.
import type { WebSocket } from 'ws';

export class SocketsPerAddress {
  private readonly open = new Map<string, number>();

  /** `max` sockets at once per address; 0: no cap (and nothing is counted). */
  constructor(private readonly max: number) {}

  /** Whether one more socket from this address may open. */
  hasRoom(address: string): boolean {
    return this.max === 0 || (this.open.get(address) ?? 0) < this.max;
  }

  /** Counts this socket against its address until it closes. */
  track(socket: WebSocket, address: string): void {
    if (this.max === 0) return;
    this.open.set(address, (this.open.get(address) ?? 0) + 1);
    socket.once('close', () => this.release(address));
  }

  private release(address: string): void {
    const left = (this.open.get(address) ?? 1) - 1;
    if (left > 0) this.open.set(address, left);
    else this.open.delete(address);
  }
}
