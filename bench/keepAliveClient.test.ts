// The bench's timing client parses HTTP itself; a mistake there would print wrong figures, not fail.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAliveClient } from './keepAliveClient';

let server: Server | null = null;
let client: KeepAliveClient | null = null;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  client?.close();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
  client = null;
});

describe('KeepAliveClient', () => {
  it('reads whole bodies larger than one read, one after another over a single connection', async () => {
    const big = 'x'.repeat(700_000); // several reads of the 256 KB buffer
    const connections = new Set<unknown>();
    const url = await serve((req, res) => {
      connections.add(req.socket);
      const body = req.url === '/big' ? big : JSON.stringify({ path: req.url, cookie: req.headers.cookie });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    client = await KeepAliveClient.connect(url, { cookie: 'session=abc' });

    const first = await client.get('/big', true);
    expect(first.status).toBe(200);
    expect(first.body).toBe(big);
    expect(first.elapsedMs).toBeGreaterThan(0);
    expect(await client.get('/small?x=1', true)).toMatchObject({ status: 200, body: '{"path":"/small?x=1","cookie":"session=abc"}' });
    expect((await client.get('/big', false)).body).toBe('');
    expect(connections.size).toBe(1);
  });

  it('returns the body of an error status even when it was not asked for', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404, { 'content-length': 2 });
      res.end('no');
    });
    client = await KeepAliveClient.connect(url, {});
    expect(await client.get('/missing', false)).toMatchObject({ status: 404, body: 'no' });
  });

  it('refuses a response it cannot time, one without Content-Length', async () => {
    const url = await serve((_req, res) => {
      res.write('chunked');
      res.end();
    });
    client = await KeepAliveClient.connect(url, {});
    await expect(client.get('/', true)).rejects.toThrow(/without Content-Length/);
  });

  it('fails the request in flight when the server closes the connection', async () => {
    const url = await serve((req) => req.socket.destroy());
    client = await KeepAliveClient.connect(url, {});
    await expect(client.get('/', true)).rejects.toThrow(/closed the keep-alive connection/);
  });
});
