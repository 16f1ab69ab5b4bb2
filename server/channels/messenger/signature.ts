// Checks that a webhook request really comes from Meta: X-Hub-Signature-256 is an HMAC-SHA256 of the
// raw request bytes with the app secret. It must run on the bytes as received, never on re-serialised
// JSON (Meta signs its escaped-unicode bytes), and never throw on a malformed header.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/i;

/** True when `header` (`sha256=<hex>`) is the HMAC of exactly these bytes; false for anything else. */
export function isSignedByMeta(rawBody: Uint8Array, header: string | undefined, appSecret: string): boolean {
  const hex = header ? SIGNATURE_HEADER.exec(header.trim())?.[1] : undefined;
  if (!hex) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // Both are 32 bytes here (the pattern fixed the length), as timingSafeEqual requires.
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}


/** Constant-time equality of two secrets of any length (hashing first makes the lengths equal). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
