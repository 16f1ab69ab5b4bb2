// New-visitor claims across processes (chat/newVisitors.ts): a widget whose first message created a
// visitor on process A, and whose connection dropped before the cookie token arrived, may resend to
// process B. B must hand out the same visitor, so the claim lives in Redis for the claim window.
// The token is a credential: Redis holds it only encrypted under a key derived from the widget's claim
// secret, which never leaves the widget, so whoever reads Redis learns nothing usable. Keys are the
// secret's hash, as in memory.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A visitor a widget's first message created, and the cookie token it was handed. */
export interface NewVisitor {
  visitorId: number;
  token: string;
}

/**
 * Claims other processes can read. Keyed by the claim secret's hash; the secret itself is passed so the
 * store can seal what it keeps under it.
 */
export interface SharedClaims {
  /** The visitor some process created for this claim within the window, or null. */
  claim(hash: string, claimSecret: string): Promise<NewVisitor | null>;
  /** Keeps `visitor` for the claim unless another process's is there; resolves with the one that stands. */
  publish(hash: string, claimSecret: string, visitor: NewVisitor, ttlMs: number): Promise<NewVisitor>;
}

const KEY_PREFIX = 'parley:claim:';

const keyOf = (claimSecret: string) => Buffer.from(hkdfSync('sha256', claimSecret, 'parley', 'new-visitor-claim', 32));

function seal(claimSecret: string, visitor: NewVisitor): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(claimSecret), iv);
  const sealed = Buffer.concat([cipher.update(visitor.token, 'utf8'), cipher.final()]);
  return JSON.stringify({ v: visitor.visitorId, t: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64') });
}

function open(claimSecret: string, stored: string): NewVisitor | null {
  try {
    const { v, t } = JSON.parse(stored) as { v: number; t: string };
    const bytes = Buffer.from(t, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(claimSecret), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const token = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    return Number.isInteger(v) ? { visitorId: v, token } : null;
  } catch {
    return null; // not ours, or not sealed under this secret
  }
}

/** Claims kept in Redis (commands connection of the cluster bus), each for the claim window. */
export function redisClaims(redis: Redis): SharedClaims {
  return {
    async claim(hash, claimSecret) {
      const stored = await redis.get(KEY_PREFIX + hash);
      return stored ? open(claimSecret, stored) : null;
    },
    async publish(hash, claimSecret, visitor, ttlMs) {
      const set = await redis.set(KEY_PREFIX + hash, seal(claimSecret, visitor), 'PX', ttlMs, 'NX');
      if (set === 'OK') return visitor;
      // Another process created one for this widget at the same moment: theirs stands for both.
      return (await this.claim(hash, claimSecret)) ?? visitor;
    },
  };
}
