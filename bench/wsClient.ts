// The bench's one way to open a client socket, as the widget and inbox would (no compression).
import { WebSocket } from 'ws';

/** A `ws` client socket to `url`, resolved once it is open. */
export function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}
