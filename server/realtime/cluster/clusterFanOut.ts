// The fan-out when Parley runs as several processes (PARLEY_REDIS_URL): each process's Hub holds the
// sockets connected to it; this sends every piece of news to them and, over the bus, to every other
// process, which delivers it to its own. Two kinds of traffic:
// - news (a message, a conversation change, typing, sign-outs, a thread to drop from caches) is
//   published once and delivered by every process to its own clients;
// - views (is a visitor online, which agents are available) are state: each process keeps the whole
//   cluster's in presence.ts and tells its own clients what it sees, so a view is never broadcast by a
//   process that has not caught up yet.
// When the bus may have lost something, `onResync` runs: the process closes its sockets, and clients
// reconnect and catch up from the database, so a broker hiccup costs a reconnect, never a silent hole.
import type { Redis } from 'ioredis';
import type { WebSocket } from 'ws';
import type { AgentServerFrame, VisitorServerFrame } from '../../../shared/protocol';
import type { FanOut, SharedView } from '../fanOut';
import type { Hub } from '../hub';
import { ClusterBus } from './bus';
import { ClusterPresence, type ClusterPresenceOptions, type PresenceEvent } from './presence';

export type ClusterEvent =
  | PresenceEvent
  | { kind: 'to-agents'; frames: AgentServerFrame[] }
  | { kind: 'to-all-visitors'; frame: VisitorServerFrame }
  | { kind: 'to-visitor'; visitorId: number; frame: VisitorServerFrame }
  | { kind: 'availability'; agentId: number; available: boolean }
  | { kind: 'sign-out-agent'; agentId: number; exceptSessionId?: string }
  | { kind: 'sign-out-session'; sessionId: string }
  | { kind: 'thread-changed'; conversationId: number }
  /** A process's part of a shared view under one key ([]: it holds nothing there any more). */
  | { kind: 'view'; topic: string; key: number; items: unknown[] }
  /** A process that may have missed views asks everyone for theirs again. */
  | { kind: 'views-please' }
  | { kind: 'signal'; topic: string };

/** A shared view's parts: this process's, and each other process's, by key. */
interface ViewParts {
  local: Map<number, unknown[]>;
  remote: Map<string, Map<number, unknown[]>>;
  onRemoteChange: (key: number) => void;
}

export interface ClusterFanOutOptions extends ClusterPresenceOptions {
  redisUrl: string;
  processId?: string;
  heartbeatMs?: number;
  /** The bus may have lost events: close this process's sockets so every client catches up. */
  onResync(reason: string): void;
}

export class ClusterFanOut implements FanOut {
  readonly #bus: ClusterBus<ClusterEvent>;
  readonly #presence: ClusterPresence;
  /** Agent frames held while inOneWrite() runs, published together afterwards. */
  #held: AgentServerFrame[] | null = null;
  /** What this process's visitors were last told (agentsOnline frames go out on a flip only). */
  #agentsOnline = false;
  readonly #availabilityListeners: (() => void)[] = [];
  readonly #presenceListeners: ((visitorId: number, online: boolean) => void)[] = [];
  readonly #views = new Map<string, ViewParts>();

  constructor(
    /** This process's sockets; it must be built with announcesAvailability false (this tells visitors). */
    private readonly hub: Hub,
    private readonly options: ClusterFanOutOptions,
  ) {
    this.#bus = new ClusterBus<ClusterEvent>(
      options.redisUrl,
      {
        onEvent: (event, from) => this.#apply(event, from),
        onAlive: (from) => this.#presence.alive(from),
        onMissed: (reason) => this.#missed(reason),
      },
      { processId: options.processId, heartbeatMs: options.heartbeatMs },
    );
    this.#presence = new ClusterPresence(this.#bus.commands, this.#bus.processId, (event) => this.#bus.publish(event), {
      onVisitorChanged: (visitorId, online) => {
        for (const listener of this.#presenceListeners) listener(visitorId, online);
      },
      onAgentsChanged: () => this.#availabilityChanged(),
      onProcessGone: (pid) => this.#dropViewsOf(pid),
    }, options);
    // What this process holds goes into the cluster's view.
    hub.onVisitorPresence((visitorId, online) =>
      online ? this.#presence.localVisitorOnline(visitorId) : this.#presence.localVisitorOffline(visitorId),
    );
    hub.onAvailableAgentsChanged(() => this.#presence.localAgents(hub.availableAgentIds()));
  }

  get processId(): string {
    return this.#bus.processId;
  }

  /** The bus's commands connection, for other state the processes share (new-visitor claims). */
  get redis(): Redis {
    return this.#bus.commands;
  }

  async start(): Promise<void> {
    await this.#bus.start();
    await this.#presence.start();
    this.#availabilityChanged();
    // Shared views already held elsewhere (who views what) are sent to a process that just started.
    this.#bus.publish({ kind: 'views-please' });
  }

  /** A clean shutdown: the others drop this process's visitors and agents at once. */
  async stop(): Promise<void> {
    await this.#presence.stop();
    await this.#bus.stop();
  }

  // ---- news: here, and published for the others ------------------------------------------------

  toAgents(frame: AgentServerFrame): void {
    this.hub.toAgents(frame);
    if (this.#held) this.#held.push(frame);
    else this.#bus.publish({ kind: 'to-agents', frames: [frame] });
  }

  toAgentsHere(frame: AgentServerFrame): void {
    this.hub.toAgents(frame);
  }

  inOneWrite(send: () => void): void {
    if (this.#held) return send();
    const held: AgentServerFrame[] = (this.#held = []);
    try {
      this.hub.inOneWrite(send);
    } finally {
      this.#held = null;
      if (held.length > 0) this.#bus.publish({ kind: 'to-agents', frames: held });
    }
  }

  sent(): Promise<void> {
    return this.#bus.published();
  }

  toAllVisitors(frame: VisitorServerFrame): void {
    this.hub.toAllVisitors(frame);
    this.#bus.publish({ kind: 'to-all-visitors', frame });
  }

  toAllVisitorsHere(frame: VisitorServerFrame): void {
    this.hub.toAllVisitors(frame);
  }

  signal(topic: string): void {
    this.hub.signal(topic);
    this.#bus.publish({ kind: 'signal', topic });
  }

  onSignal(topic: string, listener: () => void): void {
    this.hub.onSignal(topic, listener);
  }

  toVisitor(visitorId: number, frame: VisitorServerFrame, except?: WebSocket): void {
    this.hub.toVisitor(visitorId, frame, except);
    // Always published: the visitor's tab on another process may have opened a moment ago.
    this.#bus.publish({ kind: 'to-visitor', visitorId, frame });
  }

  setAvailability(agentId: number, available: boolean): void {
    this.hub.setAvailability(agentId, available);
    this.#bus.publish({ kind: 'availability', agentId, available });
  }

  signOutAgent(agentId: number, exceptSessionId?: string): void {
    this.hub.signOutAgent(agentId, exceptSessionId);
    this.#bus.publish({ kind: 'sign-out-agent', agentId, exceptSessionId });
  }

  signOutSession(sessionId: string): void {
    this.hub.signOutSession(sessionId);
    this.#bus.publish({ kind: 'sign-out-session', sessionId });
  }

  threadChanged(conversationId: number): void {
    this.hub.threadChanged(conversationId);
    this.#bus.publish({ kind: 'thread-changed', conversationId });
  }

  onThreadChanged(listener: (conversationId: number) => void): void {
    this.hub.onThreadChanged(listener);
  }

  // ---- views: the whole cluster's, told to this process's clients -------------------------------

  isOnline(visitorId: number): boolean {
    return this.#presence.isOnline(visitorId);
  }

  onVisitorPresence(listener: (visitorId: number, online: boolean) => void): void {
    this.#presenceListeners.push(listener);
  }

  agentsOnline(): boolean {
    return this.#agentsOnline;
  }

  availableAgentIds(): number[] {
    return this.#presence.availableAgentIds();
  }

  onAvailableAgentsChanged(listener: () => void): void {
    this.#availabilityListeners.push(listener);
  }

  #availabilityChanged(): void {
    const online = this.#presence.availableAgentIds().length > 0;
    if (online !== this.#agentsOnline) {
      this.#agentsOnline = online;
      this.hub.toAllVisitors({ type: 'agentsOnline', online });
    }
    for (const listener of this.#availabilityListeners) listener();
  }

  sharedView<T>(topic: string, onRemoteChange: (key: number) => void): SharedView<T> {
    // Parts may have arrived before the view was asked for (answers to this process's first request).
    const parts = this.#viewParts(topic);
    parts.onRemoteChange = onRemoteChange;
    return {
      set: (key, items) => {
        if (items.length > 0) parts.local.set(key, items);
        else if (!parts.local.delete(key)) return; // nothing held there before: nothing to tell
        this.#bus.publish({ kind: 'view', topic, key, items });
      },
      get: (key) => {
        const all = [...(parts.local.get(key) ?? [])];
        for (const byKey of parts.remote.values()) all.push(...(byKey.get(key) ?? []));
        return all as T[];
      },
    };
  }

  #viewParts(topic: string): ViewParts {
    let parts = this.#views.get(topic);
    if (!parts) this.#views.set(topic, (parts = { local: new Map(), remote: new Map(), onRemoteChange: () => {} }));
    return parts;
  }

  #applyView(event: { topic: string; key: number; items: unknown[] }, from: string): void {
    const parts = this.#viewParts(event.topic);
    let byKey = parts.remote.get(from);
    if (!byKey) parts.remote.set(from, (byKey = new Map()));
    if (event.items.length > 0) byKey.set(event.key, event.items);
    else byKey.delete(event.key);
    parts.onRemoteChange(event.key);
  }

  #dropViewsOf(pid: string): void {
    this.#bus.forget(pid);
    for (const parts of this.#views.values()) {
      const byKey = parts.remote.get(pid);
      if (!byKey) continue;
      parts.remote.delete(pid);
      for (const key of byKey.keys()) parts.onRemoteChange(key);
    }
  }

  #publishAllViews(): void {
    for (const [topic, parts] of this.#views) {
      for (const [key, items] of parts.local) this.#bus.publish({ kind: 'view', topic, key, items });
    }
  }

  // ---- what the others said ---------------------------------------------------------------------

  #apply(event: ClusterEvent, from: string): void {
    switch (event.kind) {
      case 'visitor':
      case 'agents':
        return this.#presence.apply(event, from);
      case 'to-agents':
        if (event.frames.length === 1) return this.hub.toAgents(event.frames[0]!);
        return this.hub.inOneWrite(() => event.frames.forEach((frame) => this.hub.toAgents(frame)));
      case 'to-all-visitors':
        return this.hub.toAllVisitors(event.frame);
      case 'to-visitor':
        return this.hub.toVisitor(event.visitorId, event.frame);
      case 'availability':
        return this.hub.setAvailability(event.agentId, event.available);
      case 'sign-out-agent':
        return this.hub.signOutAgent(event.agentId, event.exceptSessionId);
      case 'sign-out-session':
        return this.hub.signOutSession(event.sessionId);
      case 'thread-changed':
        return this.hub.threadChanged(event.conversationId);
      case 'view':
        return this.#applyView(event, from);
      case 'views-please':
        return this.#publishAllViews();
      case 'signal':
        return this.hub.signal(event.topic);
    }
  }

  #missed(reason: string): void {
    console.warn(`[parley] cluster: ${reason}; resynchronising`);
    void this.#presence.resync().catch(() => {});
    this.#bus.publish({ kind: 'views-please' });
    this.options.onResync(reason);
  }
}
