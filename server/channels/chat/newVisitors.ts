// Remembers, for a few minutes, which visitor each new visitor's first message created, so a widget
// that lost its connection before the `identity` frame (its cookie token) arrived gets the same
// visitor back when it resends that message, instead of a second visitor with a copy of the thread.
// Never a way in to anyone else's thread: a claim needs the first message's clientId, 128 random bits
// only that widget (and the agents, who see the thread anyway) ever had, and it expires.

/** Long enough for any reconnect backoff (the widget's tops out at 15 s) or a page reload, short enough to stay small. */
export const NEW_VISITOR_CLAIM_MS = 10 * 60_000;
/** A burst of new visitors cannot grow this without bound; past it the oldest are forgotten first. */
const MAX_REMEMBERED = 50_000;

export interface NewVisitor {
  visitorId: number;
  /** The token handed out with the first message: kept only as long as it can be claimed. */
  token: string;
}

export class NewVisitors {
  /** Keyed by the first message's clientId; Map order is creation order, so the oldest come first. */
  private readonly byFirstClientId = new Map<string, NewVisitor & { createdAt: number }>();

  constructor(
    private readonly claimMs = NEW_VISITOR_CLAIM_MS,
    private readonly now: () => number = Date.now,
  ) {}

  remember(firstClientId: string, visitor: NewVisitor): void {
    this.forgetExpired();
    if (this.byFirstClientId.size >= MAX_REMEMBERED) {
      const oldest = this.byFirstClientId.keys().next().value;
      if (oldest !== undefined) this.byFirstClientId.delete(oldest);
    }
    this.byFirstClientId.set(firstClientId, { ...visitor, createdAt: this.now() });
  }

  /** The visitor whose first message had this clientId, if it was created within the claim window. */
  claim(firstClientId: string): NewVisitor | null {
    this.forgetExpired();
    const remembered = this.byFirstClientId.get(firstClientId);
    return remembered ? { visitorId: remembered.visitorId, token: remembered.token } : null;
  }

  private forgetExpired(): void {
    const cutoff = this.now() - this.claimMs;
    for (const [clientId, visitor] of this.byFirstClientId) {
      if (visitor.createdAt > cutoff) break;
      this.byFirstClientId.delete(clientId);
    }
  }
}
