// One agent's inbox tabs agree on which of them alerts: the tab holding a Web Lock named after the
// agent (the next one takes over when it closes), told over a BroadcastChannel what the others show.
// Never alerts from two tabs; without Web Locks (an old browser) each tab is its own leader.

/** The slice of `navigator.locks` used here, so tests can hand in their own. */
export interface TabLocks {
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

type TabNews =
  | { type: 'hello'; tab: string }
  | { type: 'watching'; tab: string; conversationId: number | null }
  | { type: 'gone'; tab: string };

export interface NotifyTabsOptions {
  locks?: TabLocks | null;
  Channel?: typeof BroadcastChannel | null;
  /** Called when this tab becomes the one that alerts. */
  onLeader?: () => void;
}

const browserLocks = (): TabLocks | null =>
  typeof navigator !== 'undefined' && 'locks' in navigator ? (navigator.locks as unknown as TabLocks) : null;

export class NotifyTabs {
  /** True while this tab is the one that alerts. */
  leader = false;
  private readonly tab = Math.random().toString(36).slice(2);
  private readonly others = new Map<string, number | null>();
  private own: number | null = null;
  private channel: BroadcastChannel | null = null;
  private abort: AbortController | null = null;
  private releaseLock: (() => void) | null = null;

  constructor(
    private readonly agentId: number,
    private readonly options: NotifyTabsOptions = {},
  ) {}

  start(): void {
    const name = `parley-notify-${this.agentId}`;
    const Channel = this.options.Channel === undefined ? globalThis.BroadcastChannel : this.options.Channel;
    if (Channel) {
      this.channel = new Channel(name);
      this.channel.onmessage = (event: MessageEvent<TabNews>) => this.hear(event.data);
      this.post({ type: 'hello', tab: this.tab });
    }
    const locks = this.options.locks === undefined ? browserLocks() : this.options.locks;
    if (!locks) {
      this.becomeLeader();
      return;
    }
    this.abort = new AbortController();
    locks
      .request(name, { signal: this.abort.signal }, () => {
        this.becomeLeader();
        // Held until this tab stops (or closes, when the browser lets it go).
        return new Promise<void>((resolve) => (this.releaseLock = resolve));
      })
      .catch(() => {}); // aborted while waiting: this tab stopped before its turn
  }

  stop(): void {
    this.post({ type: 'gone', tab: this.tab });
    this.channel?.close();
    this.channel = null;
    this.abort?.abort();
    this.releaseLock?.();
    this.releaseLock = null;
    this.leader = false;
  }

  /** The conversation this tab shows on screen now (open, page visible and focused), or null. */
  setWatching(conversationId: number | null): void {
    if (conversationId === this.own) return;
    this.own = conversationId;
    this.post({ type: 'watching', tab: this.tab, conversationId });
  }

  /** Every conversation on screen in any of this agent's tabs. */
  watching(): Set<number> {
    const ids = new Set<number>();
    for (const id of [this.own, ...this.others.values()]) if (id !== null) ids.add(id);
    return ids;
  }

  private becomeLeader(): void {
    this.leader = true;
    this.options.onLeader?.();
  }

  private post(news: TabNews): void {
    this.channel?.postMessage(news);
  }

  private hear(news: TabNews): void {
    if (!news || typeof news !== 'object' || typeof news.tab !== 'string') return;
    switch (news.type) {
      case 'hello':
        // A new tab knows nothing yet: tell it what this one shows.
        this.post({ type: 'watching', tab: this.tab, conversationId: this.own });
        break;
      case 'watching':
        this.others.set(news.tab, typeof news.conversationId === 'number' ? news.conversationId : null);
        break;
      case 'gone':
        this.others.delete(news.tab);
        break;
    }
  }
}
