// Recently loaded threads, kept as the UTF-8 JSON bytes the store produced, so an agent reopening a
// busy conversation (or a visitor reloading a page) costs a map lookup instead of a 1,000-row query,
// and the reply is written from these bytes as they are: a 1,000-message thread is 180 KB, and a
// string that size would be re-encoded on every load and allocated among V8's large objects,
// which bring on full garbage collections. Bounded by bytes, least recently used first out. Every
// write path invalidates its conversation.

import { withTail } from './jsonWithTail';

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

interface Entry {
  thread: Buffer<ArrayBuffer>;
  /** The last response built around the thread by `enclosed`, kept while its opening is unchanged. */
  enclosed: { opening: string; bytes: Buffer<ArrayBuffer> } | null;
}

const entryBytes = (entry: Entry) => entry.thread.byteLength + (entry.enclosed?.bytes.byteLength ?? 0);

export class HistoryCache {
  private readonly entries = new Map<number, Entry>(); // Map order doubles as recency order
  private bytes = 0;
  /**
   * Invalidations so far, per conversation with a load in flight: a thread loaded while its
   * conversation changed may miss the change, so it is used for that one answer but not kept.
   */
  private readonly changes = new Map<number, number>();
  /** Loads in flight, per conversation. */
  private readonly loading = new Map<number, number>();

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /**
   * `opening`, the thread and a closing `}` as one buffer (jsonWithTail.ts): a JSON object whose last
   * member is the thread (loaded by `load` when not cached). The last one built is reused while the
   * opening stays the same. Building it copies the thread into a new 180 KB buffer outside V8's
   * heap, and V8 answers that much outside memory with full collections: one every ~100 ms when every
   * load of a long thread copied it, each a pause of 2–6 ms (plus marking steps) landing on whichever
   * request was running.
   */
  async enclosed(conversationId: number, opening: string, load: () => Promise<string>): Promise<Buffer<ArrayBuffer>> {
    const entry = await this.entry(conversationId, load);
    if (entry.enclosed?.opening === opening) return entry.enclosed.bytes;
    const bytes = withTail(opening, entry.thread);
    this.bytes += bytes.byteLength - (entry.enclosed?.bytes.byteLength ?? 0);
    entry.enclosed = { opening, bytes };
    this.evictOverBudget();
    return bytes;
  }

  invalidate(conversationId: number): void {
    if (this.loading.has(conversationId)) this.changes.set(conversationId, (this.changes.get(conversationId) ?? 0) + 1);
    const cached = this.entries.get(conversationId);
    if (cached === undefined) return;
    this.entries.delete(conversationId);
    this.bytes -= entryBytes(cached);
  }

  private async entry(conversationId: number, load: () => Promise<string>): Promise<Entry> {
    const cached = this.entries.get(conversationId);
    if (cached !== undefined) {
      this.entries.delete(conversationId);
      this.entries.set(conversationId, cached);
      return cached;
    }
    const changesBefore = this.changes.get(conversationId) ?? 0;
    this.loading.set(conversationId, (this.loading.get(conversationId) ?? 0) + 1);
    let json: string;
    try {
      json = await load();
    } finally {
      const loads = this.loading.get(conversationId)! - 1;
      if (loads === 0) this.loading.delete(conversationId);
      else this.loading.set(conversationId, loads);
    }
    const changed = (this.changes.get(conversationId) ?? 0) !== changesBefore;
    if (!this.loading.has(conversationId)) this.changes.delete(conversationId);
    const entry: Entry = { thread: Buffer.from(json), enclosed: null };
    if (changed) return entry;
    const raced = this.entries.get(conversationId);
    if (raced) return raced;
    this.entries.set(conversationId, entry);
    this.bytes += entry.thread.byteLength; // enclosed() evicts once it has built the response too
    return entry;
  }

  /** Drops the least recently used entries until the cache fits its budget (the newest always stays). */
  private evictOverBudget(): void {
    for (const [id, old] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size === 1) break;
      this.entries.delete(id);
      this.bytes -= entryBytes(old);
    }
  }
}
