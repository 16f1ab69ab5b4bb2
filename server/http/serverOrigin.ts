// This server's own origin: PARLEY_PUBLIC_URL when set, else the address it listens on. The demo
// page's snippet is built from it and browsers' Origin headers are checked against it (inbox API,
// agent socket). Never derived from a request's Host header: any client can send any Host.
import type { MiddlewareHandler } from 'hono';
import { networkInterfaces } from 'node:os';
import type { ApiError } from '../../shared/protocol';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const isWildcard = (host: string) => host === '' || host === '0.0.0.0' || host === '::';
const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');
/** A host as it appears in a URL: IPv6 addresses in brackets. */
const urlHost = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
/** `new URL().origin` drops a default port (:80), as browsers do in the Origin header. */
const httpOrigin = (host: string, port: number) => new URL(`http://${urlHost(host)}:${port}`).origin;

export class ServerOrigin {
  #url: string | null;
  #accepted = new Set<string>();

  /** `publicUrl`: PARLEY_PUBLIC_URL (null: unset). `host`: HOST, the interface the server listens on. */
  constructor(
    private readonly publicUrl: string | null,
    private readonly host: string,
  ) {
    this.#url = publicUrl === null ? null : new URL(publicUrl).origin;
    if (this.#url) this.#accepted.add(this.#url);
  }

  /** Called once the server listens: with PORT=0 the port is known only then. */
  listening(port: number): void {
    if (this.publicUrl !== null) return;
    const { host } = this;
    // A loopback or wildcard HOST is reached as localhost (the README's address); any other as itself.
    this.#url = httpOrigin(isWildcard(host) || isLoopback(host) ? 'localhost' : host, port);
    const names = isWildcard(host)
      ? [...LOOPBACK_NAMES, ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address))]
      : isLoopback(host)
        ? LOOPBACK_NAMES
        : [host];
    this.#accepted = new Set(names.map((name) => httpOrigin(name, port)));
  }

  /** Where visitors and agents reach this server, without a trailing slash: https://chat.example.com. */
  get url(): string {
    if (this.#url === null) throw new Error('ServerOrigin.url read before the server listens');
    return this.#url;
  }

  /**
   * Whether a browser's Origin header names this server: PARLEY_PUBLIC_URL's origin exactly, or,
   * when it is unset, an address the server listens on (every local address for HOST=0.0.0.0).
   */
  accepts(origin: string): boolean {
    return this.#accepted.has(origin);
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses (403) a state-changing request whose Origin header names another site. Requests without
 * an Origin pass: browsers send one on every POST, PUT, PATCH and DELETE, so those come from other
 * programs (curl, scripts), which the session cookie and the CSRF token guard already. `Origin: null`
 * (a sandboxed frame, a redirect across sites) is another site's request, and refused.
 */
export function refuseOtherOrigins(serverOrigin: ServerOrigin): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !SAFE_METHODS.has(c.req.method) && !serverOrigin.accepts(origin)) {
      return c.json({ error: "Cross-origin request refused: Origin is not this server's address (PARLEY_PUBLIC_URL)" } satisfies ApiError, 403);
    }
    await next();
  };
}
