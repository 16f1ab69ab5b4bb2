// Signed identify: the site's backend vouches for a visitor's email with an HMAC-SHA256 of it under
// PARLEY_IDENTITY_SECRET (the `userHash` of Intercom and Crisp). Compared in constant time, so the
// time a wrong hash takes to refuse says nothing about how much of it was right.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The hex `userHash` a site's backend computes for an address (trimmed, lower-case, as the server stores it). */
export const userHashOf = (secret: string, email: string): string =>
  createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('hex');

/**
 * Whether `userHash` proves `email`. No secret configured, no email or no hash: not proven, and the
 * address stays the visitor's unverified claim.
 */
export function isSignedBy(secret: string | null, email: string | undefined, userHash: string | undefined): boolean {
  if (!secret || !email || !userHash) return false;
  const expected = Buffer.from(userHashOf(secret, email), 'hex');
  const given = Buffer.from(userHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
