// Remembers, for a few minutes, which visitor each new visitor's first message created, so a widget
// that lost its connection before the `identity` frame (its cookie token) arrived gets the same
// visitor back when it reconnects and resends, instead of a second visitor with a copy of the thread.
// Never a way in to anyone else's thread: a claim needs the secret (128+ random bits) that widget
// generated and never shows anyone (not the clientId: agents see those). Only its hash is kept, and
// only for the claim window.
import { createHash } from 'node:crypto';
import type { NewVisitor, SharedClaims } from '../../realtime/cluster/sharedClaims';

/** Long enough for any reconnect backoff (the widget's tops out at 15 s) or a page reload, short enough to stay small. */
export const NEW_VISITOR_CLAIM_MS = 10 * 60_000;
/** A burst of new visitors cannot grow this without bound; past it the oldest are forgotten first. */
const MAX_REMEMBERED = 50_000;

export type { NewVisitor };

export class NewVisitors {
  /** Keyed by the hash of the widget's claim secret; Map order is creation order, so the oldest come first. */
  private readonly byClaimHash = new Map<string, NewVisitor & { createdAt: number }>();
  /** Creations in flight, by claim hash: a resend that arrives meanwhile waits for that visitor. */
  private readonly creating = new Map<string, Promise<NewVisitor | null>>();

  constructor(
    private readonly claimMs = NEW_VISITOR_CLAIM_MS,
    private readonly now: () => number = Date.now,
    /** In a cluster, where other processes' claims are found and ours are kept for them (sharedClaims.ts). */
    private readonly shared: SharedClaims | null = null,
  ) {}

  remember(claimSecret: string, visitor: NewVisitor): void {
    this.forgetExpired();
    if (this.byClaimHash.size >= MAX_REMEMBERED) {
      const oldest = this.byClaimHash.keys().next().value;
      if (oldest !== undefined) this.byClaimHash.delete(oldest);
    }
    this.byClaimHash.set(hashOf(claimSecret), { ...visitor, createdAt: this.now() });
  }

  /** The visitor created with this claim secret, if it was created within the claim window. */
  claim(claimSecret: string): NewVisitor | null {
    this.forgetExpired();
    const remembered = this.byClaimHash.get(hashOf(claimSecret));
    return remembered ? { visitorId: remembered.visitorId, token: remembered.token } : null;
  }

  /**
   * The visitor this claim secret created within the claim window, or the one `create` makes now,
   * remembered for the secret: one visitor, however many frames carrying the secret arrive while it
   * is being created. `create` resolving null (refused: too many new visitors) remembers nothing.
   */
  async claimOrCreate(claimSecret: string | null, create: () => Promise<NewVisitor | null>): Promise<NewVisitor | null> {
    if (claimSecret === null) return create();
    const hash = hashOf(claimSecret);
    for (;;) {
      const claimed = this.claim(claimSecret);
      if (claimed) return claimed;
      const inFlight = this.creating.get(hash);
      if (!inFlight) break;
      if (await inFlight) continue;
      // That creation was refused: this frame may try on its own.
    }
    const creation = this.createShared(hash, claimSecret, create);
    this.creating.set(hash, creation);
    try {
      const visitor = await creation;
      if (visitor) this.remember(claimSecret, visitor);
      return visitor;
    } finally {
      if (this.creating.get(hash) === creation) this.creating.delete(hash);
    }
  }

  /** Another process's visitor for this claim, else ours, published for the others. */
  private async createShared(hash: string, claimSecret: string, create: () => Promise<NewVisitor | null>): Promise<NewVisitor | null> {
    if (!this.shared) return create();
    const theirs = await this.shared.claim(hash, claimSecret);
    if (theirs) return theirs;
    const mine = await create();
    return mine && this.shared.publish(hash, claimSecret, mine, this.claimMs);
  }

  private forgetExpired(): void {
    const cutoff = this.now() - this.claimMs;
    for (const [hash, visitor] of this.byClaimHash) {
      if (visitor.createdAt > cutoff) break;
      this.byClaimHash.delete(hash);
    }
  }
}

/** A memory dump of this map hands out no secrets; looking a hash up leaks nothing about the secret. */
const hashOf = (secret: string) => createHash('sha256').update(secret).digest('base64url');
