// A minimal WebSocket client for timing one visitor page load from the bench: open a socket, say
// hello with a token, time the welcome frame, close. Every read lands in one preallocated buffer.
//
// Why not the `ws` client: it copies each 180 KB welcome into a new buffer before emitting it, so
// 200 loads leave 36 MB of garbage outside the V8 heap, and V8 answers that with a full collection in
// the client during every series (`--trace-gc`: one per 200 loads, its marking done in steps between
// loads), whose work landed on some samples as if it were the server's. The same reason as
// keepAliveClient.ts for the HTTP series.
//
// It speaks exactly what Parley's visitor socket needs: the HTTP upgrade, masked text frames out,
// unmasked unfragmented frames in (RFC 6455), and the close handshake.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

const HEADER_END = Buffer.from('\r\n\r\n');
const READ_BUFFER_BYTES = 256 * 1024;
/** Enough of a frame's start to tell which frame it is and whether the visitor was known. */
const OPENING_BYTES = 200;
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;

export interface WelcomeTiming {
  /** From opening the TCP connection to the welcome frame's last byte, in ms. */
  connectToWelcomeMs: number;
  /** From sending hello to the welcome frame's last byte, in ms. */
  helloToWelcomeMs: number;
  /** The first bytes of the welcome frame's payload, as UTF-8. */
  opening: string;
  /** The whole payload, only when asked for (decoding 180 KB per load makes garbage too). */
  payload: string | null;
  frameBytes: number;
}

/** One masked client frame (clients must mask, RFC 6455 §5.3). */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  if (length > 0xffff) throw new Error('welcomeClient sends small frames only');
  const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length]) : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
  const mask = randomBytes(4);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return Buffer.concat([header, mask, masked]);
}

const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

/** Frame parsing state for the one frame being received. */
interface IncomingFrame {
  opcode: number;
  length: number;
  received: number;
  opening: Buffer[];
  openingBytes: number;
  payload: Buffer[] | null;
}

/**
 * Opens a visitor socket to `socketUrl`, sends `hello` as its first frame, and resolves with the
 * timing of the welcome (or error) frame once the socket is closed again. `wantPayload` keeps the
 * whole frame.
 */
export function timeWelcome(socketUrl: string, hello: object, wantPayload: boolean): Promise<WelcomeTiming> {
  const { hostname, port, pathname, host } = new URL(socketUrl);
  return new Promise((resolve, reject) => {
    const connectStartedAt = performance.now();
    let helloSentAt = 0;
    let upgraded = false;
    let headSoFar: Buffer | null = null;
    /** Bytes of a frame header split across reads. */
    let pendingHeader: Buffer | null = null;
    let frame: IncomingFrame | null = null;
    let timing: WelcomeTiming | null = null;
    let socket: Socket;

    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };

    /** A whole frame arrived. */
    const frameDone = (done: IncomingFrame, arrivedAt: number) => {
      if (done.opcode === OPCODE_CLOSE) return socket.end();
      if (done.opcode !== OPCODE_TEXT || timing) return;
      const opening = Buffer.concat(done.opening).toString('utf8');
      if (!opening.startsWith('{"type":"welcome"') && !opening.startsWith('{"type":"error"')) return;
      timing = {
        connectToWelcomeMs: arrivedAt - connectStartedAt,
        helloToWelcomeMs: arrivedAt - helloSentAt,
        opening,
        payload: done.payload ? Buffer.concat(done.payload).toString('utf8') : null,
        frameBytes: done.length,
      };
      // Close as a page would on unload; the server answers with its close frame and ends the TCP stream.
      socket.write(clientFrame(OPCODE_CLOSE, Buffer.from([0x03, 0xe8])));
    };

    const receivedFrames = (chunk: Buffer) => {
      let bytes = pendingHeader ? Buffer.concat([pendingHeader, chunk]) : chunk;
      pendingHeader = null;
      while (bytes.length > 0) {
        if (!frame) {
          if (bytes.length < 2) {
            pendingHeader = Buffer.from(bytes);
            return;
          }
          const byte1 = bytes[1] as number;
          if (byte1 & 0x80) return fail(new Error('the server sent a masked frame'));
          const length7 = byte1 & 0x7f;
          const headerBytes = length7 === 126 ? 4 : length7 === 127 ? 10 : 2;
          if (bytes.length < headerBytes) {
            pendingHeader = Buffer.from(bytes);
            return;
          }
          const length = length7 === 126 ? bytes.readUInt16BE(2) : length7 === 127 ? Number(bytes.readBigUInt64BE(2)) : length7;
          frame = { opcode: (bytes[0] as number) & 0x0f, length, received: 0, opening: [], openingBytes: 0, payload: wantPayload ? [] : null };
          bytes = bytes.subarray(headerBytes);
        }
        const part = bytes.subarray(0, frame.length - frame.received);
        bytes = bytes.subarray(part.length);
        frame.received += part.length;
        if (frame.openingBytes < OPENING_BYTES && part.length > 0) {
          const kept = Buffer.from(part.subarray(0, OPENING_BYTES - frame.openingBytes));
          frame.opening.push(kept);
          frame.openingBytes += kept.length;
        }
        frame.payload?.push(Buffer.from(part));
        if (frame.received === frame.length) {
          const done = frame;
          frame = null;
          frameDone(done, performance.now());
        }
      }
    };

    const received = (chunk: Buffer) => {
      if (upgraded) return receivedFrames(chunk);
      const head = headSoFar ? Buffer.concat([headSoFar, chunk]) : chunk;
      const end = head.indexOf(HEADER_END);
      if (end < 0) {
        headSoFar = Buffer.from(head);
        return;
      }
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!statusLine.startsWith('HTTP/1.1 101')) return fail(new Error(`visitor socket refused: ${statusLine}`));
      upgraded = true;
      headSoFar = null;
      helloSentAt = performance.now();
      socket.write(clientFrame(OPCODE_TEXT, Buffer.from(JSON.stringify(hello))));
      const rest = head.subarray(end + HEADER_END.length);
      if (rest.length > 0) receivedFrames(rest);
    };

    socket = connect({
      host: hostname,
      port: Number(port),
      noDelay: true,
      onread: { buffer: readBuffer, callback: (bytes) => (received(readBuffer.subarray(0, bytes)), true) },
    });
    socket.once('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('error', (error) => reject(error));
    // Resolved once the server has closed too, so its disconnect work is done before the next load.
    socket.once('close', () => (timing ? resolve(timing) : reject(new Error('the visitor socket closed before a welcome'))));
    socket.setTimeout(10_000, () => fail(new Error('no welcome frame within 10 s')));
  });
}
