// WebSocket frames as the bytes on the wire (RFC 6455 §5.2), for the two hot paths that write to
// the TCP socket directly instead of through ws: a batch of agent frames fanned out as one write,
// and the heartbeat's pings. A server's frames are unmasked and unfragmented, so the format is a
// 2–10 byte header and the payload. Safe beside ws's own writes because Parley runs ws without
// permessage-deflate: ws then writes each frame whole and at once, so frames never interleave.

/** FIN + opcode 0x1 (text). */
const TEXT_FRAME = 0x81;
/** FIN + opcode 0x9 (ping), no payload. */
export const PING_FRAME: Buffer = Buffer.from([0x89, 0x00]);

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

/** Each UTF-8 JSON payload as one text frame, all of them concatenated in order. */
export function textFrames(payloads: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const payload of payloads) parts.push(textFrameHeader(payload.length), payload);
  return Buffer.concat(parts);
}
