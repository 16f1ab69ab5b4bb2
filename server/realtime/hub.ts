// Who is connected right now, and fan-out to them: agent sockets, and visitor sockets grouped by
// visitor (one visitor may have several tabs). Knows nothing about the database or conversations.
// Every greeted visitor socket, known visitor or not, hears when the first agent arrives or the last leaves.
import type { WebSocket } from 'ws';
import type { AgentServerFrame, VisitorServerFrame } from '../../shared/protocol';
import type { FanOut } from './fanOut';
import { textFrames, type RawSocket } from './rawSocket';

/** A socket whose unsent backlog passes this is too slow to keep up; it is dropped and will resync. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Whether a frame may be sent now: the socket is open, and not too far behind (else it is dropped). */
function ready(socket: WebSocket): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  // bufferedAmount counts the frames written by a RawSocket too (rawSocket.ts).
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return false;
  }
  return true;
}

/** Sends a text frame already encoded as UTF-8, so fanning out to N sockets encodes it once, not N times. */
function deliver(socket: WebSocket, data: Buffer): void {
  if (ready(socket)) socket.send(data, { binary: false });
}

/**
 * An agent reloading the inbox drops its socket for a moment: only announce "no agent online" (which
 * shows every visitor the email form) when nobody has come back after this long.
 */
const AGENTS_GONE_GRACE_MS = 5_000;

const encode = (frame: AgentServerFrame | VisitorServerFrame) => Buffer.from(JSON.stringify(frame));

export class Hub implements FanOut {
  constructor(private readonly agentsGoneGraceMs = AGENTS_GONE_GRACE_MS) {}

  /** Each agent socket with its RawSocket, through which a batch of frames goes as one write. */
  private readonly agentSockets = new Map<WebSocket, RawSocket>();
  /** Which agent each socket belongs to, so a deactivated agent's inboxes can be closed. */
  private readonly agentOf = new Map<WebSocket, number>();
  /** Which sign-in session opened each socket, so signing out closes that session's inboxes only. */
  private readonly sessionOf = new Map<WebSocket, string>();
  /** Agent frames held back while inOneWrite() runs, encoded, in order. */
  private heldAgentFrames: Buffer[] | null = null;
  private readonly visitorSockets = new Map<number, Set<WebSocket>>();
  /** Every visitor socket past hello, including those of visitors who have not written yet. */
  private readonly greetedVisitorSockets = new Set<WebSocket>();
  /** Set while the last agent has just left and visitors have not been told yet. */
  private agentsGoneTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly threadListeners: ((conversationId: number) => void)[] = [];

  addAgent(raw: RawSocket, agentId: number, sessionId?: string): void {
    const socket = raw.ws;
    const wasEmpty = this.agentSockets.size === 0;
    this.agentSockets.set(socket, raw);
    this.agentOf.set(socket, agentId);
    if (sessionId) this.sessionOf.set(socket, sessionId);
    if (!wasEmpty) return;
    if (this.agentsGoneTimer) {
      // Back within the grace period: visitors never heard they had gone.
      clearTimeout(this.agentsGoneTimer);
      this.agentsGoneTimer = undefined;
    } else {
      this.toAllVisitors({ type: 'agentsOnline', online: true });
    }
  }

  removeAgent(socket: WebSocket): void {
    if (!this.agentSockets.delete(socket)) return;
    this.agentOf.delete(socket);
    this.sessionOf.delete(socket);
    if (this.agentSockets.size > 0) return;
    this.agentsGoneTimer = setTimeout(() => {
      this.agentsGoneTimer = undefined;
      this.toAllVisitors({ type: 'agentsOnline', online: false });
    }, this.agentsGoneGraceMs);
    this.agentsGoneTimer.unref?.();
  }

  /** Whether any agent has the inbox open (or just reloaded it): the widget offers "We'll reply by email" when not. */
  agentsOnline(): boolean {
    return this.agentSockets.size > 0 || this.agentsGoneTimer !== undefined;
  }

  /** A visitor socket said hello: from now on it hears when agents come and go. */
  addGreetedVisitor(socket: WebSocket): void {
    this.greetedVisitorSockets.add(socket);
  }

  removeGreetedVisitor(socket: WebSocket): void {
    this.greetedVisitorSockets.delete(socket);
  }

  /** Whether this visitor socket said hello (one that never does is closed: helloDeadline.ts). */
  isGreetedVisitor(socket: WebSocket): boolean {
    return this.greetedVisitorSockets.has(socket);
  }

  /** Tells every inbox of this agent that it is signed out, and closes them (but those of `exceptSessionId`). */
  signOutAgent(agentId: number, exceptSessionId?: string): void {
    for (const [socket, id] of this.agentOf) {
      if (id !== agentId) continue;
      if (exceptSessionId === undefined || this.sessionOf.get(socket) !== exceptSessionId) this.signOut(socket);
    }
  }

  /** Tells the inboxes opened by one sign-in session that it ended, and closes them. */
  signOutSession(sessionId: string): void {
    for (const [socket, id] of this.sessionOf) if (id === sessionId) this.signOut(socket);
  }

  private signOut(socket: WebSocket): void {
    deliver(socket, encode({ type: 'signedOut' }));
    socket.close(4001, 'Signed out');
  }

  /**
   * Runs `send`, holding back the agent frames it fans out, then writes them all to each agent as
   * one write of bytes framed once (rawSocket.ts says what that buys).
   */
  inOneWrite(send: () => void): void {
    if (this.heldAgentFrames) return send(); // already inside one: the outer call writes
    const held: Buffer[] = (this.heldAgentFrames = []);
    try {
      send();
    } finally {
      // Even when `send` threw part-way: what it fanned out before that still goes out.
      this.heldAgentFrames = null;
      this.writeToAgents(held);
    }
  }

  private writeToAgents(frames: Buffer[]): void {
    if (frames.length === 0) return;
    const wire = textFrames(frames);
    for (const raw of this.agentSockets.values()) if (ready(raw.ws)) raw.write(wire);
  }

  /** Registers a visitor's socket; true when this visitor just came online. */
  addVisitor(visitorId: number, socket: WebSocket): boolean {
    let sockets = this.visitorSockets.get(visitorId);
    const cameOnline = !sockets;
    if (!sockets) this.visitorSockets.set(visitorId, (sockets = new Set()));
    sockets.add(socket);
    return cameOnline;
  }

  /** Forgets a visitor's socket; true when that was their last one and they are now offline. */
  removeVisitor(visitorId: number, socket: WebSocket): boolean {
    const sockets = this.visitorSockets.get(visitorId);
    if (!sockets?.delete(socket)) return false;
    if (sockets.size > 0) return false;
    this.visitorSockets.delete(visitorId);
    return true;
  }

  isOnline(visitorId: number): boolean {
    return this.visitorSockets.has(visitorId);
  }

  /** Serialises once, then sends to every agent (or holds it for the write inOneWrite() makes). */
  toAgents(frame: AgentServerFrame): void {
    if (this.agentSockets.size === 0) return;
    const data = encode(frame);
    if (this.heldAgentFrames) {
      this.heldAgentFrames.push(data);
      return;
    }
    for (const socket of this.agentSockets.keys()) deliver(socket, data);
  }

  /** Serialises once, then sends to every greeted visitor socket (there may be tens of thousands). */
  toAllVisitors(frame: VisitorServerFrame): void {
    if (this.greetedVisitorSockets.size === 0) return;
    const data = encode(frame);
    for (const socket of this.greetedVisitorSockets) deliver(socket, data);
  }

  /** Sends to every tab of one visitor, except the socket the event came from. */
  toVisitor(visitorId: number, frame: VisitorServerFrame, except?: WebSocket): void {
    const sockets = this.visitorSockets.get(visitorId);
    // Usually the visitor's only tab is the one the message came from: nothing to serialise.
    if (!sockets || (sockets.size === 1 && except && sockets.has(except))) return;
    const data = encode(frame);
    for (const socket of sockets) if (socket !== except) deliver(socket, data);
  }

  /** In one process a cached thread lives in this process: the listeners drop it at once. */
  threadChanged(conversationId: number): void {
    for (const listener of this.threadListeners) listener(conversationId);
  }

  onThreadChanged(listener: (conversationId: number) => void): void {
    this.threadListeners.push(listener);
  }
}
