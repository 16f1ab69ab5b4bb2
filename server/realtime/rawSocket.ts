// A `ws` socket paired with the TCP socket under it, for the two hot paths that write prebuilt frames
// there directly instead of through ws: a batch of agent frames fanned out as one write, and the
// heartbeat's pings. The only place that touches an open socket's transport or writes frame bytes;
// it never writes to a socket that is not open, nor beside a ws server whose options make it unsafe.
//
// What it buys (docs/performance.md, "Prebuilt frames"): a group commit of 50 messages for 20 agents
// is 20 writes of bytes framed once (every agent gets the same bytes), not 1,000 ws sends each
// building its frame inside cork/uncork: at 2,000 msg/s the server ran 40 % fewer young-generation
// collections. And a ping is a prebuilt 2-byte frame, where ws.ping() builds one, corks and writes
// twice (10,000 sockets pinged every 2 s are 5,000 pings and pongs a second, 17 % of a core before).
// Together, 3 × 10 s at 2,000 msg/s: 132 young-generation collections (710 ms), then 78 (523 ms).
//
// Why it is safe beside ws's own writes: a server's frames are unmasked and unfragmented, so a frame
// is a 2–10 byte header and the payload (RFC 6455 §5.2); and without permessage-deflate ws's own
// WebSocket writes each frame whole and at once, so frames never interleave or overtake one another.
// (ws also queues sends behind a Blob it is reading: Parley never sends Blobs.) ws's bufferedAmount
// reads the TCP socket's backlog, so it counts these writes too: the hub's slow-socket check sees them.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type ServerOptions, type WebSocketServer } from 'ws';

/** Bytes made by textFrames(): whole text frames, ready for the wire. */
export type WireFrames = Buffer & { readonly wireFrames: unique symbol };

/** FIN + opcode 0x1 (text). */
const TEXT_FRAME = 0x81;
/** FIN + opcode 0x9 (ping), no payload. */
const PING_FRAME: Buffer = Buffer.from([0x89, 0x00]);

function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([TEXT_FRAME, length]);
  if (length < 65_536) {
    const header = Buffer.allocUnsafe(4);
    header[0] = TEXT_FRAME;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = TEXT_FRAME;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/** Each UTF-8 JSON payload as one text frame, all of them concatenated in order: framed once, written to many. */
export function textFrames(payloads: readonly Buffer[]): WireFrames {
  const parts: Buffer[] = [];
  for (const payload of payloads) parts.push(textFrameHeader(payload.length), payload);
  return Buffer.concat(parts) as WireFrames;
}

export class RawSocket {
  constructor(
    readonly ws: WebSocket,
    private readonly transport: Duplex,
  ) {}

  /** Writes the frames straight to the TCP socket, if the socket is open (never after its close frame). */
  write(frames: WireFrames): void {
    if (this.ws.readyState === this.ws.OPEN) this.transport.write(frames);
  }

  /** Sends a ping, if the socket is open; the pong arrives as ws's 'pong' event. */
  ping(): void {
    if (this.ws.readyState === this.ws.OPEN) this.transport.write(PING_FRAME);
  }
}

/** Completes an upgrade on a ws server and hands over the new socket paired with its transport. */
export type RawSocketUpgrade = (request: IncomingMessage, transport: Duplex, head: Buffer, opened: (socket: RawSocket) => void) => void;

/**
 * How sockets are made on `server`: once per server, checks that its options keep the raw writes
 * safe (see the top of this file), and throws if someone changed them.
 */
export function rawSocketUpgrades(server: WebSocketServer): RawSocketUpgrade {
  assertRawWritesSafe(server.options);
  return (request, transport, head, opened) => server.handleUpgrade(request, transport, head, (ws) => opened(new RawSocket(ws, transport)));
}

function assertRawWritesSafe(options: ServerOptions): void {
  const refuse = (why: string) => {
    throw new Error(`server/realtime/rawSocket.ts writes prebuilt frames beside ws's own, so ${why}`);
  };
  if (options.perMessageDeflate) {
    refuse('permessage-deflate must stay off: ws compresses asynchronously and queues later sends, which the raw writes would overtake');
  }
  if (options.WebSocket !== WebSocket) {
    refuse("the ws server must use ws's own WebSocket class, which writes each frame whole and at once");
  }
}
