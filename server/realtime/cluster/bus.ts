// The bus between Parley processes (PARLEY_REDIS_URL): one Redis pub/sub channel that every process
// publishes its events to and hears everyone else's on. Redis pub/sub delivers at most once and keeps
// nothing for a disconnected subscriber, so the bus never pretends to be reliable; it notices instead:
// - every event carries its sender's sequence number, and a heartbeat goes out every second, so a
//   listener learns of an event it missed (a gap) within a second;
// - a listener whose own subscription dropped knows it may have missed anything.
// Either way it calls `onMissed`, and the process resynchronises (closes its sockets so clients
// reconnect and catch up from the database). A lost event then costs a reconnect, never a silent hole.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const BUS_CHANNEL = 'parley:bus';
export const HEARTBEAT_MS = 1_000;
/** The longest an ack waits for Redis to take the events before it (published()). */
const PUBLISHED_WAIT_MS = 2_000;

/** What travels on the bus: an event of some kind from one process, numbered in the order it sent them. */
export interface Envelope<E> {
  from: string;
  seq: number;
  event: E | null;
}

export interface BusListener<E> {
  /** Another process's event, in the order it sent them. */
  onEvent(event: E, from: string): void;
  /** Another process is alive (its heartbeat or any event): presence uses it with the leases. */
  onAlive?(from: string): void;
  /** Events may have been missed (a gap, or our subscription dropped): the caller resynchronises. */
  onMissed(reason: string): void;
}

export interface ClusterBusOptions {
  /** A name for this process, unique in the cluster; random by default. */
  processId?: string;
  heartbeatMs?: number;
}

export class ClusterBus<E> {
  readonly processId: string;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  #seq = 0;
  /** The last sequence number heard from each other process. */
  readonly #lastSeq = new Map<string, number>();
  /** The newest publish's answer from Redis: it answers in order, so every earlier one is there too. */
  #lastPublish: Promise<unknown> = Promise.resolve();
  #heartbeat: ReturnType<typeof setInterval> | null = null;
  /** Whether the subscription has been up once: a later 'ready' is a reconnect, after which we may have missed events. */
  #subscribedOnce = false;
  #stopped = false;

  constructor(
    url: string,
    private readonly listener: BusListener<E>,
    private readonly options: ClusterBusOptions = {},
  ) {
    this.processId = options.processId ?? randomUUID();
    // No offline queue: an event that cannot go now is lost at once (and counted in seq), so listeners
    // see the gap instead of receiving it late, out of order with what they resynchronised to.
    // Auto-pipelined: a group commit publishes an event per message in one turn, sent as one write.
    this.#publisher = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, enableAutoPipelining: true });
    this.#subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    for (const client of [this.#publisher, this.#subscriber]) client.on('error', () => {}); // reconnects by itself; 'close' tells us
    this.#subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.#receive(message));
    this.#subscriber.on('ready', () => {
      if (this.#subscribedOnce && !this.#stopped) {
        // ioredis re-subscribes on reconnect; whatever was published meanwhile never reached us.
        this.#lastSeq.clear();
        this.listener.onMissed('the subscription to Redis was interrupted');
      }
      this.#subscribedOnce = true;
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()]);
    await this.#subscriber.subscribe(BUS_CHANNEL);
    this.#heartbeat = setInterval(() => this.#send(null), this.options.heartbeatMs ?? HEARTBEAT_MS);
    this.#heartbeat.unref?.();
  }

  /** Sends an event to every other process (this one acts on it locally itself). */
  publish(event: E): void {
    this.#send(event);
  }

  /**
   * Resolves once Redis has every event published so far (or has refused it: then the gap shows).
   * Auto-pipelining writes them on a later tick, so until then a process killed now would take them
   * with it, while an answer it already wrote to a socket (an ack) would still reach its client.
   */
  published(): Promise<void> {
    // Bounded: a Redis that stops answering must not hold every ack; heartbeats expose it anyway.
    return new Promise((resolve) => {
      const late = setTimeout(resolve, PUBLISHED_WAIT_MS);
      void this.#lastPublish.then(() => {
        clearTimeout(late);
        resolve();
      });
    });
  }

  #send(event: E | null): void {
    const envelope: Envelope<E> = { from: this.processId, seq: ++this.#seq, event };
    // Lost when Redis is unreachable: the seq moved on, so every listener sees the gap.
    this.#lastPublish = this.#publisher.publish(BUS_CHANNEL, JSON.stringify(envelope)).catch(() => {});
  }

  #receive(message: Buffer): void {
    let envelope: Envelope<E>;
    try {
      envelope = JSON.parse(message.toString('utf8')) as Envelope<E>;
    } catch {
      return; // not ours: another program on the same channel
    }
    if (typeof envelope?.from !== 'string' || typeof envelope.seq !== 'number' || envelope.from === this.processId) return;
    const last = this.#lastSeq.get(envelope.from);
    this.#lastSeq.set(envelope.from, envelope.seq);
    this.listener.onAlive?.(envelope.from);
    // A process heard for the first time (or after a reset) starts its count where it is.
    if (last !== undefined && envelope.seq !== last + 1) {
      this.listener.onMissed(`events from ${envelope.from} were lost (${last} then ${envelope.seq})`);
    }
    if (envelope.event !== null) this.listener.onEvent(envelope.event, envelope.from);
  }

  /** A process that is gone: its next life starts a new count. */
  forget(processId: string): void {
    this.#lastSeq.delete(processId);
  }

  /** A connection for the presence leases and sets (commands, not pub/sub). */
  get commands(): Redis {
    return this.#publisher;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#publisher.disconnect();
    this.#subscriber.disconnect();
  }
}
