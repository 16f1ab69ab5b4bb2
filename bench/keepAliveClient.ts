// A minimal HTTP/1.1 GET client for timing Parley's API from the bench: one keep-alive socket, and
// every read lands in the same preallocated buffer (net's `onread`).
//
// Why not node:http: it allocates a fresh buffer for each read (up to 64 KB), so each 180 KB history
// load left ~180 KB of garbage outside the V8 heap, and the client's own collector then competed with
// its main thread for its one CPU. In alternating probe rounds of 200 history loads from the same
// server, this client used 77–86 ms of CPU against 150–204 ms for node:http, waited 12–15 ms for its
// CPU against 29–33 ms, and measured p50 0.7–0.8 ms against 1.1–1.4 ms: the difference was the
// client, not the server.
//
// It understands exactly what Parley answers on the routes the bench times: a status line, headers
// with a Content-Length, and the body. Anything else (chunked encoding, a closed socket) is an error.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

const HEADER_END = Buffer.from('\r\n\r\n');
const READ_BUFFER_BYTES = 256 * 1024; // room for a whole 180 KB history in one read

export interface TimedResponse {
  status: number;
  /** From writing the request to reading the body's last byte, in ms. */
  elapsedMs: number;
  /** The body as UTF-8, or '' when it was not asked for (decoding 180 KB makes garbage too). */
  body: string;
}

interface Pending {
  startedAt: number;
  wantBody: boolean;
  /** A header block split across reads, copied out of the shared read buffer. */
  headSoFar: Buffer | null;
  status: number;
  bodyLength: number;
  bodyReceived: number;
  body: Buffer[];
  resolve: (response: TimedResponse) => void;
  reject: (error: Error) => void;
}

export class KeepAliveClient {
  private pending: Pending | null = null;
  private readonly requestHead: (path: string) => string;

  private constructor(
    private readonly socket: Socket,
    host: string,
    headers: Record<string, string>,
  ) {
    const headerLines = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    this.requestHead = (path) => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${headerLines}Connection: keep-alive\r\n\r\n`;
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the server closed the keep-alive connection')));
  }

  static connect(baseUrl: string, headers: Record<string, string>): Promise<KeepAliveClient> {
    const { hostname, port, host } = new URL(baseUrl);
    const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    let client: KeepAliveClient | null = null;
    const socket = connect({
      host: hostname,
      port: Number(port),
      noDelay: true,
      onread: { buffer: readBuffer, callback: (bytes) => (client?.received(readBuffer.subarray(0, bytes)), true) },
    });
    client = new KeepAliveClient(socket, host, headers);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** GETs `path` and resolves once the whole body has arrived; one request at a time. */
  get(path: string, wantBody: boolean): Promise<TimedResponse> {
    if (this.pending) return Promise.reject(new Error('KeepAliveClient: one request at a time'));
    return new Promise((resolve, reject) => {
      this.pending = {
        startedAt: performance.now(),
        wantBody,
        headSoFar: null,
        status: 0,
        bodyLength: -1,
        bodyReceived: 0,
        body: [],
        resolve,
        reject,
      };
      this.socket.write(this.requestHead(path));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  /** Bytes just read; `chunk` is a view of the shared read buffer, valid only during this call. */
  private received(chunk: Buffer): void {
    const request = this.pending;
    if (!request) return;
    let bodyPart = chunk;
    if (request.bodyLength < 0) {
      // Headers usually arrive whole in the first read; only a split header block is copied.
      const received = request.headSoFar ? Buffer.concat([request.headSoFar, chunk]) : chunk;
      const headerEnd = received.indexOf(HEADER_END);
      if (headerEnd < 0) {
        request.headSoFar = Buffer.from(received);
        return;
      }
      const head = received.subarray(0, headerEnd).toString('latin1');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      if (length === undefined) return this.fail(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
      request.status = Number(head.slice(9, 12));
      request.bodyLength = Number(length);
      bodyPart = received.subarray(headerEnd + HEADER_END.length);
    }
    request.bodyReceived += bodyPart.length;
    if (request.wantBody || request.status !== 200) request.body.push(Buffer.from(bodyPart));
    if (request.bodyReceived < request.bodyLength) return;
    const elapsedMs = performance.now() - request.startedAt;
    if (request.bodyReceived > request.bodyLength) return this.fail(new Error('more bytes than Content-Length announced'));
    this.pending = null;
    request.resolve({ status: request.status, elapsedMs, body: request.body.length ? Buffer.concat(request.body).toString('utf8') : '' });
  }

  private fail(error: Error): void {
    const request = this.pending;
    this.pending = null;
    request?.reject(error);
  }
}
