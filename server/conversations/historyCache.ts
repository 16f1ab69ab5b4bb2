// Recently loaded threads, kept as the UTF-8 JSON bytes the store produced, so an agent reopening a
// busy conversation (or a visitor reloading a page) costs a map lookup instead of a 1,000-row query,
// and the reply is written from these bytes as they are: a 1,000-message thread is 180 KB, and a
// string that size would be re-encoded on every load and allocated among V8's large objects,
// which bring on full garbage collections. Bounded by bytes, least recently used first out. Every
// write path invalidates its conversation.

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export class HistoryCache {
  private readonly entries = new Map<number, Buffer>(); // Map order doubles as recency order
  private bytes = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /** The cached thread, or the one `load` produces (then cached). */
  get(conversationId: number, load: () => string): Buffer {
    const cached = this.entries.get(conversationId);
    if (cached !== undefined) {
      this.entries.delete(conversationId);
      this.entries.set(conversationId, cached);
      return cached;
    }
    const json = Buffer.from(load());
    this.entries.set(conversationId, json);
    this.bytes += json.byteLength;
    for (const [id, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(id);
      this.bytes -= old.byteLength;
    }
    return json;
  }

  invalidate(conversationId: number): void {
    const cached = this.entries.get(conversationId);
    if (cached === undefined) return;
    this.entries.delete(conversationId);
    this.bytes -= cached.byteLength;
  }
}
