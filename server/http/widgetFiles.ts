// Serves the widget's two files to other sites: /widget.js (the launcher, revalidated every 5 minutes
// with an ETag) and /widget/panel-<hash>.js (immutable). Each is sent as the brotli or gzip copy the
// build made beside it, whichever the browser accepts, never compressed per request; only names the
// build makes are looked up, so a request never names another file.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Hono, type Context } from 'hono';

/** How long a browser may use widget.js before revalidating: a new panel reaches visitors this fast. */
export const LAUNCHER_MAX_AGE_SECONDS = 300;
const PANEL_NAME = /^panel-[A-Za-z0-9_-]{6,32}\.js$/;

type Coding = 'br' | 'gzip' | 'identity';

interface Representation {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

interface WidgetFile {
  /** The raw file's modification time when read: widget.js is read again after a rebuild. */
  mtimeMs: number;
  byCoding: Record<Coding, Representation | undefined>;
}

/**
 * The coding to send for an Accept-Encoding header: brotli or gzip when accepted with a nonzero
 * q-value (the higher wins, brotli on a tie), else the file as it is.
 */
export function chooseCoding(acceptEncoding: string | undefined, available: { br: boolean; gzip: boolean }): Coding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  // A header is a short list; anything longer than any browser sends is cut, not parsed.
  for (const part of acceptEncoding.slice(0, 512).split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (name) weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  const br = available.br ? weightOf('br') : 0;
  const gzip = available.gzip ? weightOf('gzip') : 0;
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch
    .slice(0, 2048)
    .split(',')
    .some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

function readRepresentation(path: string, suffix: string): Representation | undefined {
  let body: Uint8Array<ArrayBuffer>;
  try {
    // Its own ArrayBuffer (a Buffer may share Node's pool), as a Response body wants.
    body = Uint8Array.from(readFileSync(path));
  } catch {
    return undefined;
  }
  // One tag per representation: a cache that holds the brotli copy must not answer with it for gzip.
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { body, etag: `"${hash}${suffix}"` };
}

function readWidgetFile(path: string): WidgetFile | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  return {
    mtimeMs,
    byCoding: {
      br: readRepresentation(`${path}.br`, '-br'),
      gzip: readRepresentation(`${path}.gz`, '-gz'),
      identity: readRepresentation(path, ''),
    },
  };
}

/**
 * Routes for /widget.js and /widget/panel-*.js, read from `folder` (dist/): held in memory once read
 * (they are a few KB each), widget.js again whenever the build rewrote it.
 */
export function widgetFiles(folder: string): Hono {
  const cache = new Map<string, WidgetFile>();

  const load = (relativePath: string, immutable: boolean): WidgetFile | undefined => {
    const path = resolve(folder, relativePath);
    const cached = cache.get(relativePath);
    // A hashed panel never changes; widget.js costs one stat per request to notice a rebuild.
    if (cached && (immutable || statSync(path, { throwIfNoEntry: false })?.mtimeMs === cached.mtimeMs)) return cached;
    const file = readWidgetFile(path);
    // Misses are not cached: a stranger asking for made-up names cannot grow this map.
    if (file) cache.set(relativePath, file);
    else cache.delete(relativePath);
    return file;
  };

  const send = (c: Context, file: WidgetFile | undefined, cacheControl: string) => {
    const identity = file?.byCoding.identity;
    if (!file || !identity) return c.json({ error: 'No such widget file' }, 404);
    const coding = chooseCoding(c.req.header('accept-encoding'), { br: Boolean(file.byCoding.br), gzip: Boolean(file.byCoding.gzip) });
    const chosen = file.byCoding[coding] ?? identity;
    const headers: Record<string, string> = {
      'Cache-Control': cacheControl,
      ETag: chosen.etag,
      Vary: 'Accept-Encoding',
      // Other sites load these: as a plain script (CORP) and, for error details or fetch, with CORS.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Access-Control-Allow-Origin': '*',
      'X-Content-Type-Options': 'nosniff',
    };
    if (matches(c.req.header('if-none-match'), chosen.etag)) return c.body(null, 304, headers);
    return c.body(chosen.body, 200, {
      ...headers,
      'Content-Type': 'text/javascript; charset=utf-8',
      'Content-Length': String(chosen.body.byteLength),
      ...(coding !== 'identity' && { 'Content-Encoding': coding }),
    });
  };

  const app = new Hono();
  app.get('/widget.js', (c) => send(c, load('widget.js', false), `public, max-age=${LAUNCHER_MAX_AGE_SECONDS}`));
  app.get('/widget/:name', (c) => {
    const name = c.req.param('name');
    if (!PANEL_NAME.test(name)) return c.json({ error: 'No such widget file' }, 404);
    return send(c, load(`widget/${name}`, true), 'public, max-age=31536000, immutable');
  });
  return app;
}
