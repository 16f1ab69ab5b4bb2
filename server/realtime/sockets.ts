// Routes HTTP upgrades to the visitor or the agent socket server, after the checks that must happen
// before a socket exists: the Origin allow-list for visitors, a valid session for agents.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { AGENT_SOCKET_PATH, MAX_FRAME_BYTES, SERVICE_RESTART_CLOSE_CODE, SESSION_COOKIE, VISITOR_SOCKET_PATH } from '../../shared/limits';
import { resolveSession } from '../agents';
import { NewVisitors } from '../channels/chat/newVisitors';
import { acceptVisitorSocket, type VisitorSocketDeps } from '../channels/chat/visitorSocket';
import { acceptAgentSocket } from '../inbox/agentSocket';
import type { Viewers } from '../inbox/viewers';
import { reuseWsFragmentArrays } from './fragmentReuse';
import { Heartbeat } from './heartbeat';

export interface SocketOptions extends Omit<VisitorSocketDeps, 'newVisitors'> {
  /** null = any site may open visitor sockets. */
  allowedOrigins: string[] | null;
  heartbeatMs: number;
  viewers: Viewers;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function cookieValue(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** The inbox is same-origin only: a socket from any other page could act as the signed-in agent. */
function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** ws closes the socket itself on a protocol error (an oversized frame: 1009); nothing else to do. */
function ignoreSocketError(): void {}

/**
 * A TCP error before or after the upgrade: drop the connection. Not a closure in the upgrade
 * handler: one there shares that handler's scope, so every open socket kept its upgrade request
 * (headers and all) alive: 13 MB of the 71 MB heap with 10,000 visitors (heap snapshots).
 */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

export function attachSockets(server: Server, options: SocketOptions): { close(graceMs?: number): Promise<void> } {
  reuseWsFragmentArrays();
  const serverOptions = { noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false };
  const visitors = new WebSocketServer(serverOptions);
  const agents = new WebSocketServer(serverOptions);
  const heartbeat = new Heartbeat(options.heartbeatMs);
  const visitorDeps: VisitorSocketDeps = { ...options, newVisitors: new NewVisitors() };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroyOnError);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === VISITOR_SOCKET_PATH) {
      const origin = request.headers.origin ?? '';
      if (options.allowedOrigins && !options.allowedOrigins.includes(origin)) return refuse(socket, 403, 'Forbidden');
      return visitors.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', ignoreSocketError);
        heartbeat.track(ws, socket);
        acceptVisitorSocket(ws, visitorDeps, request.headers['user-agent'] ?? null);
      });
    }
    if (path === AGENT_SOCKET_PATH) {
      const token = cookieValue(request, SESSION_COOKIE);
      const session = token && isSameOrigin(request) ? resolveSession(options.db, token) : null;
      if (!session) return refuse(socket, 401, 'Unauthorized');
      return agents.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', ignoreSocketError);
        heartbeat.track(ws, socket);
        acceptAgentSocket(ws, socket, session, { hub: options.hub, viewers: options.viewers });
      });
    }
    refuse(socket, 404, 'Not Found');
  });

  return {
    /**
     * Closes every socket with 1012 (Service Restart: the widget comes back within a couple of
     * seconds instead of backing off) and waits until their close handlers ran (they still touch
     * the database). A peer that does not answer the close within `graceMs` is dropped.
     */
    async close(graceMs = 0) {
      heartbeat.stop();
      const open = [...visitors.clients, ...agents.clients];
      const closed = open.map((ws) => new Promise((done) => ws.once('close', done)));
      for (const ws of open) ws.close(SERVICE_RESTART_CLOSE_CODE, 'Parley is restarting');
      const late = setTimeout(() => open.forEach((ws) => ws.terminate()), graceMs);
      await Promise.all(closed);
      clearTimeout(late);
      visitors.close();
      agents.close();
    },
  };
}
