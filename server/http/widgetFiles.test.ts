// The widget's files as a browser on another site receives them over the wire: the precompressed copy
// it accepts with Content-Encoding, Content-Length and Vary; widget.js revalidated by ETag; the hashed
// panel cached for a year; nothing else in the folder reachable.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseCoding, widgetFiles } from './widgetFiles';

const launcher = Buffer.from(`(function(){/* launcher */${'window.x=1;'.repeat(200)}})();`);
const panel = Buffer.from(`(function(){/* panel */${'window.y=2;'.repeat(400)}})();`);
const PANEL = 'panel-AbC123xy.js';

let folder: string;
let server: ServerType;
let base: string;

function write(path: string, raw: Buffer) {
  writeFileSync(join(folder, path), raw);
  writeFileSync(join(folder, `${path}.br`), brotliCompressSync(raw));
  writeFileSync(join(folder, `${path}.gz`), gzipSync(raw));
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'parley-widget-files-'));
  mkdirSync(join(folder, 'widget'));
  write('widget.js', launcher);
  write(`widget/${PANEL}`, panel);
  writeFileSync(join(folder, 'widget', 'manifest.json'), '{}');
  writeFileSync(join(folder, 'secret.txt'), 'not for you');
  await new Promise<void>((ready) => {
    server = serve({ fetch: widgetFiles(folder).fetch, port: 0, hostname: '127.0.0.1' }, () => ready());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A GET with exactly these headers (fetch would add its own Accept-Encoding and decode the body). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((done, fail) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('widget.js', () => {
  it('sends the brotli copy to a browser that accepts it, with its length and Vary', async () => {
    const res = await get('/widget.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(launcher.length / 4);
    expect(brotliDecompressSync(res.body).equals(launcher)).toBe(true);
  });

  it('sends gzip where brotli is not accepted, and the plain file where nothing is', async () => {
    const gz = await get('/widget.js', { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(gz.body).equals(launcher)).toBe(true);

    const plain = await get('/widget.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(Number(plain.headers['content-length'])).toBe(launcher.length);
    expect(plain.body.equals(launcher)).toBe(true);
  });

  it('is cached for five minutes, then revalidated: 304 with no body while unchanged', async () => {
    const first = await get('/widget.js', { 'accept-encoding': 'br' });
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);

    const again = await get('/widget.js', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers.vary).toBe('Accept-Encoding');

    // A gzip copy is a different representation: its tag does not validate the brotli one.
    const gzTag = String((await get('/widget.js', { 'accept-encoding': 'gzip' })).headers.etag);
    expect(gzTag).not.toBe(etag);
    expect((await get('/widget.js', { 'accept-encoding': 'br', 'if-none-match': gzTag })).status).toBe(200);
  });

  it('is sent again, with a new ETag, once a build rewrote it', async () => {
    const before = String((await get('/widget.js', { 'accept-encoding': 'br' })).headers.etag);
    const rebuilt = Buffer.from(`${launcher.toString()}/* v2 */`);
    write('widget.js', rebuilt);
    const after = await get('/widget.js', { 'accept-encoding': 'br', 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before);
    expect(brotliDecompressSync(after.body).equals(rebuilt)).toBe(true);
  });

  it('may be loaded by any site, as a script or with CORS', async () => {
    const res = await get('/widget.js', { origin: 'https://shop.example' });
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('the panel file', () => {
  it('is immutable for a year, precompressed like widget.js', async () => {
    const res = await get(`/widget/${PANEL}`, { 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(brotliDecompressSync(res.body).equals(panel)).toBe(true);
  });

  it('answers 404 for any other name: a missing panel, the manifest, a compressed copy, a path outside', async () => {
    for (const path of ['/widget/panel-Missing0.js', '/widget/manifest.json', `/widget/${PANEL}.br`, '/widget/..%2Fsecret.txt', '/widget/%2e%2e%2fsecret.txt']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.toString()).not.toContain('not for you');
    }
  });
});

describe('chooseCoding', () => {
  const both = { br: true, gzip: true };
  it('follows the q-values: brotli refused, gzip preferred, or only a wildcard', () => {
    expect(chooseCoding('gzip, br;q=0', both)).toBe('gzip');
    expect(chooseCoding('br;q=0.2, gzip;q=0.8', both)).toBe('gzip');
    expect(chooseCoding('*', both)).toBe('br');
    expect(chooseCoding('identity', both)).toBe('identity');
    expect(chooseCoding('br', { br: false, gzip: true })).toBe('identity');
    expect(chooseCoding('gzip;q=0, *;q=0', both)).toBe('identity');
  });
});
