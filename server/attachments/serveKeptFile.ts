// How a kept file goes out, to an agent or to its visitor: so that a stranger's file can never run in
// our origin, a Content-Type from our list, nosniff, a sandboxing CSP, and a download (attachment)
// unless it is an image type browsers only display. One place, so the two routes cannot drift apart.
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { AttachmentRow } from '../storage';
import { contentDisposition, servedType } from './contentTypes';
import type { FileStore } from './fileStore';

export function serveKeptFile(c: Context, files: FileStore, row: AttachmentRow): Response {
  const type = servedType(row.mimeType);
  c.header('Content-Type', type);
  c.header('Content-Length', String(row.byteLength));
  c.header('Content-Disposition', contentDisposition(row.name, type));
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Content-Security-Policy', "sandbox; default-src 'none'");
  // A kept file never changes under its id; only this browser may keep it.
  c.header('Cache-Control', 'private, max-age=86400, immutable');
  return c.body(Readable.toWeb(files.read(row.sha256)) as ReadableStream<Uint8Array>);
}
