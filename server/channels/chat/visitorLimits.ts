// The rates a visitor's frames are held to: messages per visitor, new visitors per client address,
// identify frames per visitor, uploads per client address. One set per server. Agents and webhooks never pass through here.
import type { VisitorLimits } from '../../config';
import { RateLimit } from '../../realtime/rateLimit';

export interface VisitorRateLimits {
  /** Per visitor id, shared by all their tabs: a burst, then a steady rate. */
  messages: RateLimit<number>;
  /** Per client address: first messages that create a visitor (page views create nothing). */
  newVisitors: RateLimit<string>;
  /** Per visitor id: each identify writes a contact and tells every agent. */
  identify: RateLimit<number>;
  /** Per client address: files sent over HTTP (each is also a message for `messages`). */
  uploads: RateLimit<string>;
}

export function visitorRateLimits(limits: VisitorLimits, now: () => number = Date.now): VisitorRateLimits {
  const minute = 60_000;
  return {
    messages: new RateLimit({ burst: limits.messageBurst, rate: limits.messagesPerMinute, perMs: minute, now }),
    newVisitors: new RateLimit({
      burst: limits.newVisitorsPerIpPerMinute,
      rate: limits.newVisitorsPerIpPerMinute,
      perMs: minute,
      now,
    }),
    identify: new RateLimit({ burst: limits.identifyPerHour, rate: limits.identifyPerHour, perMs: 60 * minute, now }),
    uploads: new RateLimit({ burst: limits.uploadsPerIpPerHour, rate: limits.uploadsPerIpPerHour, perMs: 60 * minute, now }),
  };
}
