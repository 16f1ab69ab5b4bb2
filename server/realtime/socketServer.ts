// The ws servers behind Parley's two socket paths: upgrades come from Parley's own HTTP server
// (server/http/upgrades.ts decides which to accept), and every socket is a RawSocket (rawSocket.ts).
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../../shared/limits';
import { reuseWsFragmentArrays } from './fragmentReuse';
import { rawSocketUpgrades, type RawSocketUpgrade } from './rawSocket';

export interface SocketServer {
  /** Completes an upgrade the caller has decided to accept. */
  upgrade: RawSocketUpgrade;
  /** The sockets open right now. */
  readonly clients: ReadonlySet<WebSocket>;
  close(): void;
}

export function createSocketServer(): SocketServer {
  reuseWsFragmentArrays();
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  return { upgrade: rawSocketUpgrades(server), clients: server.clients, close: () => server.close() };
}
