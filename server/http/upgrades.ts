// Routes HTTP upgrades to the visitor or the agent socket server (realtime/socketServer.ts), after the
// checks that must happen before a socket exists: the Origin allow-list for visitors, a valid session for agents.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AGENT_SOCKET_PATH, SERVICE_RESTART_CLOSE_CODE, SESSION_COOKIE, VISITOR_SOCKET_PATH } from '../../shared/limits';
import { resolveSession } from '../agents';
import type { TeamNews } from '../agents/team';
import { acceptVisitorSocket, type VisitorSocketDeps } from '../channels/chat/visitorSocket';
import type { VisitorLimits } from '../config';
import { acceptAgentSocket, agentOpening } from '../inbox/agentSocket';
import type { Viewers } from '../inbox/viewers';
import { Heartbeat } from '../realtime/heartbeat';
import { HelloDeadline } from '../realtime/helloDeadline';
import { createSocketServer } from '../realtime/socketServer';
import { SocketsPerAddress } from '../realtime/socketsPerAddress';
import { clientAddressOfRequest } from './clientAddress';
import type { ServerOrigin } from './serverOrigin';

export interface SocketOptions extends Omit<VisitorSocketDeps, 'faces'> {
  /** Who is on the team and available: the inbox's team frames, the widget's faces. */
  team: TeamNews;
  /** Asked at each upgrade, so Settings → Widget applies at once; null = any site may open visitor sockets. */
  allowedOrigins: () => string[] | null;
  /** The inbox is same-origin only: a socket from any other page could act as the signed-in agent. */
  serverOrigin: ServerOrigin;
  heartbeatMs: number;
  viewers: Viewers;
  /** Visitor sockets only; agent sockets are never limited by them. */
  limits: VisitorLimits;
  /** PARLEY_TRUST_PROXY: how many proxies' X-Forwarded-For entries name the client. */
  trustProxy: number;
}

/** An HTTP answer instead of the upgrade; `headers` are extra lines, each ending in CRLF. */
function refuse(socket: Duplex, status: number, reason: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${headers}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** When an address has its fill of sockets, try again after this long (one closes as a tab does). */
const SOCKET_CAP_RETRY_AFTER_S = 10;

function cookieValue(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
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

export interface AttachedSockets {
  /** Closes every socket (1012) and stops accepting; `graceMs` for peers to answer before they are dropped. */
  close(graceMs?: number): Promise<void>;
  /**
   * Closes every open socket with 1012 and keeps accepting: each client reconnects at once and
   * catches up from the database (after the cluster bus may have lost news).
   */
  reconnectAll(reason: string): void;
}

export function attachSockets(server: Server, options: SocketOptions): AttachedSockets {
  const visitors = createSocketServer();
  const agents = createSocketServer();
  const heartbeat = new Heartbeat(options.heartbeatMs);
  const visitorDeps: VisitorSocketDeps = { ...options, faces: () => options.team.faces() };
  const socketsPerAddress = new SocketsPerAddress(options.limits.socketsPerIp);
  const helloDeadline = new HelloDeadline(options.limits.helloTimeoutMs, (ws) => options.hub.isGreetedVisitor(ws));

  /** A signed-in agent's inbox: the session and the team are read before the socket opens. */
  async function upgradeAgent(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const token = cookieValue(request, SESSION_COOKIE);
    const session = token && options.serverOrigin.accepts(request.headers.origin ?? '') ? await resolveSession(options.storage, token) : null;
    if (!session) return refuse(socket, 401, 'Unauthorized');
    const opening = await agentOpening(options.team, session.agent.id);
    if (socket.destroyed) return;
    agents.upgrade(request, socket, head, (raw) => {
      raw.ws.on('error', ignoreSocketError);
      heartbeat.track(raw);
      acceptAgentSocket(raw, session, { hub: options.hub, viewers: options.viewers }, opening);
    });
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroyOnError);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === VISITOR_SOCKET_PATH) {
      const origin = request.headers.origin ?? '';
      const allowed = options.allowedOrigins();
      if (allowed && !allowed.includes(origin)) return refuse(socket, 403, 'Forbidden');
      const address = clientAddressOfRequest(request, options.trustProxy);
      if (!socketsPerAddress.hasRoom(address)) {
        return refuse(socket, 429, 'Too Many Requests', `Retry-After: ${SOCKET_CAP_RETRY_AFTER_S}\r\n`);
      }
      return visitors.upgrade(request, socket, head, (raw) => {
        const { ws } = raw;
        ws.on('error', ignoreSocketError);
        heartbeat.track(raw);
        socketsPerAddress.track(ws, address);
        helloDeadline.track(ws);
        acceptVisitorSocket(ws, visitorDeps, request.headers['user-agent'] ?? null, address);
      });
    }
    if (path === AGENT_SOCKET_PATH) {
      upgradeAgent(request, socket, head).catch((err: unknown) => {
        console.error('[parley] agent socket upgrade failed:', err);
        refuse(socket, 500, 'Internal Server Error');
      });
      return;
    }
    refuse(socket, 404, 'Not Found');
  });

  return {
    /**
     * Closes every socket with 1012 (Service Restart: the widget comes back within a couple of
     * seconds instead of backing off) and waits until their close handlers ran (they still touch
     * the database). A peer that does not answer the close within `graceMs` is dropped.
     */
    reconnectAll(reason) {
      for (const ws of [...visitors.clients, ...agents.clients]) ws.close(SERVICE_RESTART_CLOSE_CODE, reason.slice(0, 120));
    },
    async close(graceMs = 0) {
      heartbeat.stop();
      helloDeadline.stop();
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
