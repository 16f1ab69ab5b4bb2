// Who is connected right now, and fan-out to them: agent sockets, and visitor sockets grouped by
// visitor (one visitor may have several tabs). Knows nothing about the database or conversations.
// Every greeted visitor socket, known visitor or not, hears when the first agent becomes available or the
// last one stops being (Away, or no inbox open); which agents are available is known here, their names are not.
import type { WebSocket } from 'ws';
import type { AgentServerFrame, VisitorServerFrame } from '../../shared/protocol';
import type { FanOut, SharedView } from './fanOut';
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
 * An agent reloading the inbox drops its socket for a moment: they stop counting as available (and,
 * if they were the last, every visitor is shown the email form) only when they are not back after this long.
 */
const AGENTS_GONE_GRACE_MS = 5_000;

const encode = (frame: AgentServerFrame | VisitorServerFrame) => Buffer.from(JSON.stringify(frame));

export class Hub implements FanOut {
  constructor(
    private readonly agentsGoneGraceMs = AGENTS_GONE_GRACE_MS,
    /**
     * Whether this hub tells its visitors when agents come and go. Not in a cluster: there the cluster
     * fan-out (cluster/clusterFanOut.ts) knows who is available anywhere and tells them.
     */
    private readonly announcesAvailability = true,
  ) {}

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
  /** Agents who chose Away: their inboxes make no one "online". */
  private readonly away = new Set<number>();
  /** Available agents whose last inbox just closed, each with the timer that ends their grace period. */
  private readonly leaving = new Map<number, ReturnType<typeof setTimeout>>();
  /** What visitors were last told: agentsOnline frames go out only when it flips. */
  private online = false;
  /** availableAgentIds() as of the last change, so listeners hear only of real changes. */
  private availableKey = '';
  private readonly availabilityListeners: (() => void)[] = [];
  private readonly threadListeners: ((conversationId: number) => void)[] = [];
  private readonly presenceListeners: ((visitorId: number, online: boolean) => void)[] = [];
  private readonly signalListeners = new Map<string, (() => void)[]>();

  addAgent(raw: RawSocket, agentId: number, sessionId?: string): void {
    const socket = raw.ws;
    this.agentSockets.set(socket, raw);
    this.agentOf.set(socket, agentId);
    if (sessionId) this.sessionOf.set(socket, sessionId);
    // Back within the grace period: nobody heard they had gone.
    clearTimeout(this.leaving.get(agentId));
    this.leaving.delete(agentId);
    this.availabilityChanged();
  }

  removeAgent(socket: WebSocket): void {
    if (!this.agentSockets.delete(socket)) return;
    const agentId = this.agentOf.get(socket)!;
    this.agentOf.delete(socket);
    this.sessionOf.delete(socket);
    if (this.away.has(agentId) || this.hasInbox(agentId)) return;
    const timer = setTimeout(() => {
      this.leaving.delete(agentId);
      this.availabilityChanged();
    }, this.agentsGoneGraceMs);
    timer.unref?.();
    this.leaving.set(agentId, timer);
  }

  private hasInbox(agentId: number): boolean {
    for (const id of this.agentOf.values()) if (id === agentId) return true;
    return false;
  }

  /** Whether any agent is available (or just reloaded the inbox): the widget offers "We'll reply by email" when not. */
  agentsOnline(): boolean {
    return this.online;
  }

  availableAgentIds(): number[] {
    const ids = new Set(this.leaving.keys());
    for (const id of this.agentOf.values()) if (!this.away.has(id)) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  /** Choosing Away takes effect at once, without the grace period: the agent meant it. */
  setAvailability(agentId: number, available: boolean): void {
    if (available) this.away.delete(agentId);
    else {
      this.away.add(agentId);
      clearTimeout(this.leaving.get(agentId));
      this.leaving.delete(agentId);
    }
    this.availabilityChanged();
  }

  onAvailableAgentsChanged(listener: () => void): void {
    this.availabilityListeners.push(listener);
  }

  /** Tells visitors when the first agent becomes available or the last one stops, and listeners of any change. */
  private availabilityChanged(): void {
    const ids = this.availableAgentIds();
    const online = ids.length > 0;
    if (this.announcesAvailability && online !== this.online) {
      this.online = online;
      this.toAllVisitors({ type: 'agentsOnline', online });
    }
    const key = ids.join(',');
    if (key === this.availableKey) return;
    this.availableKey = key;
    for (const listener of this.availabilityListeners) listener();
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

  /** Frames are written to their sockets as they are fanned out: nothing is left to wait for. */
  sent(): Promise<void> {
    return Promise.resolve();
  }

  private writeToAgents(frames: Buffer[]): void {
    if (frames.length === 0) return;
    const wire = textFrames(frames);
    for (const raw of this.agentSockets.values()) if (ready(raw.ws)) raw.write(wire);
  }

  /** Registers a visitor's socket; true when this visitor just came online (here). */
  addVisitor(visitorId: number, socket: WebSocket): boolean {
    let sockets = this.visitorSockets.get(visitorId);
    const cameOnline = !sockets;
    if (!sockets) this.visitorSockets.set(visitorId, (sockets = new Set()));
    sockets.add(socket);
    if (cameOnline) for (const listener of this.presenceListeners) listener(visitorId, true);
    return cameOnline;
  }

  /** Forgets a visitor's socket; true when that was their last one and they are now offline (here). */
  removeVisitor(visitorId: number, socket: WebSocket): boolean {
    const sockets = this.visitorSockets.get(visitorId);
    if (!sockets?.delete(socket)) return false;
    if (sockets.size > 0) return false;
    this.visitorSockets.delete(visitorId);
    for (const listener of this.presenceListeners) listener(visitorId, false);
    return true;
  }

  /** In one process, presence is what this hub holds: a visitor's first socket and their last. */
  onVisitorPresence(listener: (visitorId: number, online: boolean) => void): void {
    this.presenceListeners.push(listener);
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

  /** In one process every agent is here. */
  toAgentsHere(frame: AgentServerFrame): void {
    this.toAgents(frame);
  }

  /** Serialises once, then sends to every greeted visitor socket (there may be tens of thousands). */
  toAllVisitors(frame: VisitorServerFrame): void {
    if (this.greetedVisitorSockets.size === 0) return;
    const data = encode(frame);
    for (const socket of this.greetedVisitorSockets) deliver(socket, data);
  }

  toAllVisitorsHere(frame: VisitorServerFrame): void {
    this.toAllVisitors(frame);
  }

  /** Sends to every tab of one visitor, except the socket the event came from. */
  toVisitor(visitorId: number, frame: VisitorServerFrame, except?: WebSocket): void {
    const sockets = this.visitorSockets.get(visitorId);
    // Usually the visitor's only tab is the one the message came from: nothing to serialise.
    if (!sockets || (sockets.size === 1 && except && sockets.has(except))) return;
    const data = encode(frame);
    for (const socket of sockets) if (socket !== except) deliver(socket, data);
  }

  /** The server stopped: no grace period ends in an announcement (the team's names are no longer readable). */
  stop(): void {
    for (const timer of this.leaving.values()) clearTimeout(timer);
    this.leaving.clear();
  }

  /** In one process a cached thread lives in this process: the listeners drop it at once. */
  threadChanged(conversationId: number): void {
    for (const listener of this.threadListeners) listener(conversationId);
  }

  onThreadChanged(listener: (conversationId: number) => void): void {
    this.threadListeners.push(listener);
  }

  /** In one process a signal is heard here only. */
  signal(topic: string): void {
    for (const listener of this.signalListeners.get(topic) ?? []) listener();
  }

  onSignal(topic: string, listener: () => void): void {
    const listeners = this.signalListeners.get(topic) ?? [];
    listeners.push(listener);
    this.signalListeners.set(topic, listeners);
  }

  /** In one process the whole is this process's part; nobody else ever changes it. */
  sharedView<T>(): SharedView<T> {
    const parts = new Map<number, T[]>();
    return {
      set: (key, items) => (items.length > 0 ? parts.set(key, items) : parts.delete(key)),
      get: (key) => parts.get(key) ?? [],
    };
  }
}
