// Keeps an inbound email's bytes exactly as they arrived (up to the 10 MB cap) in PostgreSQL: the
// raw_sources row and its raw_source_chunks (bytea), written in one transaction so a source is either
// whole or absent. The chunks are larger than SQLite's 64 KB (sqlite/rawSources.ts): there they bound
// how long a write holds the event loop; here a write is a network round trip that leaves it free
// (node-postgres sends a Buffer as a binary parameter), so they only bound each statement's size.
import { asc, eq } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/open';
import { rawSourceChunks, rawSources } from '../../db/pg/schema';

export const PG_RAW_SOURCE_CHUNK_BYTES = 1024 * 1024;

/** Stores `bytes` and resolves with the source's id. */
export function storeRawSource(db: PgDb, bytes: Uint8Array, chunkBytes = PG_RAW_SOURCE_CHUNK_BYTES): Promise<number> {
  return db.transaction(async (tx) => {
    const [source] = await tx.insert(rawSources).values({ byteLength: bytes.length }).returning({ id: rawSources.id });
    const id = source!.id;
    for (let seq = 0, offset = 0; offset < bytes.length; seq++, offset += chunkBytes) {
      // A copy of the slice: the bytes may sit in memory shared with the mail reader's thread.
      const chunk = Buffer.from(bytes.subarray(offset, offset + chunkBytes));
      await tx.insert(rawSourceChunks).values({ sourceId: id, seq, bytes: chunk });
    }
    return id;
  });
}

/** The bytes of a stored source, whole, in a buffer of their own (for an agent's download, or a later re-read). */
export async function rawSourceBytes(db: PgDb, id: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const [source] = await db.select({ byteLength: rawSources.byteLength }).from(rawSources).where(eq(rawSources.id, id));
  if (!source) return null;
  const chunks = await db
    .select({ bytes: rawSourceChunks.bytes })
    .from(rawSourceChunks)
    .where(eq(rawSourceChunks.sourceId, id))
    .orderBy(asc(rawSourceChunks.seq));
  const whole = new Uint8Array(source.byteLength);
  let offset = 0;
  for (const { bytes } of chunks) {
    whole.set(bytes.subarray(0, whole.length - offset), offset);
    offset += bytes.length;
  }
  return whole;
}

/** Drops a source nothing points at (the email turned out to be a duplicate). */
export function deleteRawSource(db: PgDb, id: number): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.delete(rawSourceChunks).where(eq(rawSourceChunks.sourceId, id));
    await tx.delete(rawSources).where(eq(rawSources.id, id));
  });
}
