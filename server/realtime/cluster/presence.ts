// Who is connected anywhere in the cluster: each process's visitors (by id) and available agents, kept
// in Redis under that process's lease, and told to the others on the bus as they change. A process
// that dies stops renewing its lease; within lease + one renewal every other process drops what it
// held, so its visitors and agents turn offline everywhere (agents stuck "online" cannot happen).
// A visitor with tabs on two processes is online while either holds them.
import type { Redis } from 'ioredis';

export const LEASE_MS = 3_000;
export const RENEW_MS = 1_000;

/** What a process tells the others about its own connections. */
export type PresenceEvent = { kind: 'visitor'; id: number; online: boolean } | { kind: 'agents'; ids: number[] };

export interface PresenceListener {
  /** A visitor came online or went offline in the cluster as this process sees it (local or remote). */
  onVisitorChanged(visitorId: number, online: boolean): void;
  /** The set of available agents anywhere changed. */
  onAgentsChanged(): void;
  /** A process's lease lapsed (or a resync no longer found it): whatever else it held is gone too. */
  onProcessGone?(processId: string): void;
}

interface Holdings {
  visitors: Set<number>;
  agents: number[];
}

const leaseKey = (pid: string) => `parley:lease:${pid}`;
const visitorsKey = (pid: string) => `parley:visitors:${pid}`;
const agentsKey = (pid: string) => `parley:agents:${pid}`;

export interface ClusterPresenceOptions {
  leaseMs?: number;
  renewMs?: number;
}

export class ClusterPresence {
  readonly #local: Holdings = { visitors: new Set(), agents: [] };
  readonly #remote = new Map<string, Holdings>();
  /** Processes being loaded from Redis: their events are applied once the load is in. */
  readonly #loading = new Map<string, PresenceEvent[]>();
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #leaseMs: number;
  readonly #renewMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly processId: string,
    private readonly publish: (event: PresenceEvent) => void,
    private readonly listener: PresenceListener,
    options: ClusterPresenceOptions = {},
  ) {
    this.#leaseMs = options.leaseMs ?? LEASE_MS;
    this.#renewMs = options.renewMs ?? RENEW_MS;
  }

  async start(): Promise<void> {
    // A process restarted under the same id left sets that are no longer true.
    await this.redis.del(visitorsKey(this.processId), agentsKey(this.processId));
    await this.#renew();
    await this.resync();
    this.#timer = setInterval(() => void this.#tick(), this.#renewMs);
    this.#timer.unref?.();
  }

  /** Stops renewing and removes this process's holdings at once (a clean shutdown; a crash just lets the lease lapse). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.redis.del(leaseKey(this.processId), visitorsKey(this.processId), agentsKey(this.processId)).catch(() => {});
  }

  /** Stops renewing without a word: what a killed process looks like to the others (tests). */
  abandon(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  // ---- this process's own connections --------------------------------------------------------

  /** A visitor's first socket on this process opened. */
  localVisitorOnline(visitorId: number): void {
    const wasOnline = this.isOnline(visitorId);
    this.#local.visitors.add(visitorId);
    this.redis.sadd(visitorsKey(this.processId), visitorId).catch(() => {});
    this.publish({ kind: 'visitor', id: visitorId, online: true });
    if (!wasOnline) this.listener.onVisitorChanged(visitorId, true);
  }

  /** A visitor's last socket on this process closed. */
  localVisitorOffline(visitorId: number): void {
    if (!this.#local.visitors.delete(visitorId)) return;
    this.redis.srem(visitorsKey(this.processId), visitorId).catch(() => {});
    this.publish({ kind: 'visitor', id: visitorId, online: false });
    if (!this.isOnline(visitorId)) this.listener.onVisitorChanged(visitorId, false);
  }

  /** The agents available on this process (Available, an inbox open here) changed. */
  localAgents(ids: number[]): void {
    this.#local.agents = [...ids].sort((a, b) => a - b);
    this.redis.set(agentsKey(this.processId), JSON.stringify(this.#local.agents), 'PX', this.#leaseMs).catch(() => {});
    this.publish({ kind: 'agents', ids: this.#local.agents });
    this.listener.onAgentsChanged();
  }

  // ---- the cluster ---------------------------------------------------------------------------

  isOnline(visitorId: number): boolean {
    if (this.#local.visitors.has(visitorId)) return true;
    for (const h of this.#remote.values()) if (h.visitors.has(visitorId)) return true;
    return false;
  }

  availableAgentIds(): number[] {
    const ids = new Set(this.#local.agents);
    for (const h of this.#remote.values()) for (const id of h.agents) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  /** Another process's presence event, from the bus. */
  apply(event: PresenceEvent, from: string): void {
    const queued = this.#loading.get(from);
    if (queued) return void queued.push(event);
    const holdings = this.#remote.get(from);
    if (!holdings) {
      this.#load(from, [event]);
      return;
    }
    this.#applyTo(holdings, event);
  }

  /** Another process is alive (it spoke on the bus): one not yet known is loaded from Redis. */
  alive(from: string): void {
    if (from !== this.processId && !this.#remote.has(from) && !this.#loading.has(from)) this.#load(from, []);
  }

  /** Everything known about other processes is read again from Redis (after the bus missed events). */
  async resync(): Promise<void> {
    const pids: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', leaseKey('*'), 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const pid = key.slice(leaseKey('').length);
        if (pid !== this.processId) pids.push(pid);
      }
    } while (cursor !== '0');
    const fresh = new Map<string, Holdings>();
    await Promise.all(pids.map(async (pid) => fresh.set(pid, await this.#read(pid))));
    this.#replaceRemote(fresh);
  }

  #applyTo(holdings: Holdings, event: PresenceEvent): void {
    if (event.kind === 'visitor') {
      const before = this.isOnline(event.id);
      if (event.online) holdings.visitors.add(event.id);
      else holdings.visitors.delete(event.id);
      const after = this.isOnline(event.id);
      if (before !== after) this.listener.onVisitorChanged(event.id, after);
    } else {
      const before = this.availableAgentIds().join(',');
      holdings.agents = event.ids;
      if (this.availableAgentIds().join(',') !== before) this.listener.onAgentsChanged();
    }
  }

  async #read(pid: string): Promise<Holdings> {
    const [visitors, agents] = await Promise.all([this.redis.smembers(visitorsKey(pid)), this.redis.get(agentsKey(pid))]);
    let agentIds: number[] = [];
    try {
      const parsed: unknown = JSON.parse(agents ?? '[]');
      if (Array.isArray(parsed)) agentIds = parsed.filter((n): n is number => Number.isInteger(n));
    } catch {
      // an unreadable list counts as no agents: the next 'agents' event corrects it
    }
    return { visitors: new Set(visitors.map(Number).filter(Number.isInteger)), agents: agentIds };
  }

  /** Reads a newly heard process's holdings, then applies what it said meanwhile, in order. */
  #load(pid: string, pending: PresenceEvent[]): void {
    this.#loading.set(pid, pending);
    this.#read(pid).then(
      (holdings) => {
        const queued = this.#loading.get(pid) ?? [];
        this.#loading.delete(pid);
        const empty: Holdings = { visitors: new Set(), agents: [] };
        this.#remote.set(pid, empty);
        // Announce what it holds as changes, then replay its events on top.
        for (const id of holdings.visitors) this.#applyTo(empty, { kind: 'visitor', id, online: true });
        if (holdings.agents.length > 0) this.#applyTo(empty, { kind: 'agents', ids: holdings.agents });
        for (const event of queued) this.#applyTo(empty, event);
      },
      () => this.#loading.delete(pid), // Redis unreachable: the next heartbeat tries again
    );
  }

  /** Swaps the whole remote view, telling listeners only what changed. */
  #replaceRemote(fresh: Map<string, Holdings>): void {
    const visitorsBefore = new Set<number>();
    for (const h of this.#remote.values()) for (const id of h.visitors) visitorsBefore.add(id);
    const agentsBefore = this.availableAgentIds().join(',');
    const gone = [...this.#remote.keys()].filter((pid) => !fresh.has(pid));
    this.#remote.clear();
    for (const [pid, h] of fresh) this.#remote.set(pid, h);
    const touched = new Set(visitorsBefore);
    for (const h of fresh.values()) for (const id of h.visitors) touched.add(id);
    for (const id of touched) {
      if (this.#local.visitors.has(id)) continue; // online here whatever the others say
      const wasOnline = visitorsBefore.has(id);
      const online = this.isOnline(id);
      if (wasOnline !== online) this.listener.onVisitorChanged(id, online);
    }
    if (this.availableAgentIds().join(',') !== agentsBefore) this.listener.onAgentsChanged();
    for (const pid of gone) this.listener.onProcessGone?.(pid);
  }

  async #renew(): Promise<void> {
    const pipeline = this.redis.pipeline();
    pipeline.set(leaseKey(this.processId), String(Date.now()), 'PX', this.#leaseMs, 'GET');
    pipeline.pexpire(visitorsKey(this.processId), this.#leaseMs);
    pipeline.set(agentsKey(this.processId), JSON.stringify(this.#local.agents), 'PX', this.#leaseMs);
    const [[, previous] = []] = (await pipeline.exec()) ?? [];
    if (previous === null && this.#timer) this.#reannounce();
  }

  /**
   * Our lease was gone when we renewed it (Redis restarted empty, or we could not renew in time): the
   * others may have dropped us, or read our holdings while they were missing, and would then think
   * our agents and visitors offline until each changed. Write them again and tell everyone.
   */
  #reannounce(): void {
    if (this.#local.visitors.size > 0) {
      this.redis.sadd(visitorsKey(this.processId), ...this.#local.visitors).catch(() => {});
      this.redis.pexpire(visitorsKey(this.processId), this.#leaseMs).catch(() => {});
    }
    for (const id of this.#local.visitors) this.publish({ kind: 'visitor', id, online: true });
    this.publish({ kind: 'agents', ids: this.#local.agents });
  }

  /** Each renewal: our lease goes on, and any process whose lease lapsed is dropped. */
  async #tick(): Promise<void> {
    try {
      await this.#renew();
      const pids = [...this.#remote.keys()];
      if (pids.length === 0) return;
      const exists = await Promise.all(pids.map((pid) => this.redis.exists(leaseKey(pid))));
      const gone = pids.filter((_, i) => exists[i] === 0);
      if (gone.length === 0) return;
      const fresh = new Map(this.#remote);
      for (const pid of gone) fresh.delete(pid);
      this.#replaceRemote(fresh);
    } catch {
      // Redis unreachable: our lease lapses too, and the bus's resync puts everything back afterwards.
    }
  }

  /** The processes this one knows are alive (tests, health). */
  knownProcesses(): string[] {
    return [...this.#remote.keys()];
  }
}
