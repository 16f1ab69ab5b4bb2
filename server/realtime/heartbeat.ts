// Finds dead sockets (tab killed, network gone) that never send a close: ping every interval and
// terminate any socket that did not pong since the last round, so presence turns off promptly.
import type { WebSocket, WebSocketServer } from 'ws';

const alive = new WeakSet<WebSocket>();

export function trackLiveness(socket: WebSocket): void {
  alive.add(socket);
  socket.on('pong', () => alive.add(socket));
}

export function startHeartbeat(servers: WebSocketServer[], intervalMs: number): () => void {
  const timer = setInterval(() => {
    for (const server of servers) {
      for (const socket of server.clients) {
        if (!alive.has(socket)) {
          socket.terminate();
          continue;
        }
        alive.delete(socket);
        socket.ping();
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
