// Who is on the other end of a request or socket upgrade, for the per-IP limits. Behind reverse
// proxies (PARLEY_TRUST_PROXY=N) the address is read from X-Forwarded-For; never otherwise, since
// anyone can send that header.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** IPv4 clients on a dual-stack socket show up as ::ffff:1.2.3.4; one client, one key. */
const normalise = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '').toLowerCase();

/**
 * The client's address. With `trustProxy` = N, each of the N proxies appended the address it saw
 * to X-Forwarded-For, so the client is the N-th entry from the right; whatever the client itself
 * wrote further left is ignored. A header with fewer entries than that falls back to the leftmost.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustProxy: number): string {
  if (trustProxy > 0 && forwardedFor) {
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const client = hops[Math.max(0, hops.length - trustProxy)];
    if (client) return normalise(client);
  }
  return peer ? normalise(peer) : 'unknown';
}

/** The client address of a raw Node request (socket upgrades). */
export function clientAddressOfRequest(request: IncomingMessage, trustProxy: number): string {
  return clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], trustProxy);
}

/** The client address of a Hono request served by @hono/node-server. */
export function clientAddressOf(c: Context, trustProxy: number): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming ? clientAddressOfRequest(incoming, trustProxy) : clientAddress(undefined, c.req.header('x-forwarded-for'), trustProxy);
}
