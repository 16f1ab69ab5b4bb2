// Keeps an inbound email's bytes exactly as they arrived, however large (up to the 10 MB cap), without
// holding the event loop: the bytes go in in chunks, each in its own small transaction and its own
// turn of the event loop, so chat commits and acks run in between. Written in one go, a 10 MB email
// held the event loop for 150 ms (bench/hostileEmail.ts); 512 KB chunks still took up to 27 ms each
// (a write that grows the WAL waits on the file system). The worst ack during a
// 10 MB email went from 34-72 ms (128 KB chunks) to 21-68 ms in the same bench.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { asc, eq } from 'drizzle-orm';
import { preparedOnce, schema, withoutFsync, type Db } from '../../db';

const { rawSources, rawSourceChunks } = schema;

export const RAW_SOURCE_CHUNK_BYTES = 64 * 1024;

const insertChunk = preparedOnce((db: Db) =>
  db.$client.prepare<[number, number, Buffer]>('insert into raw_source_chunks (source_id, seq, bytes) values (?, ?, ?)'),
);

/**
 * Stores `bytes` and resolves with the source's id. Not yet durable on its own: the caller commits
 * the row that points at it later, and that commit's fsync (syncToDisk) covers these, as one WAL.
 * A crash in between leaves an unreferenced source, which the sender's retry replaces.
 */
export async function storeRawSource(db: Db, bytes: Uint8Array, chunkBytes = RAW_SOURCE_CHUNK_BYTES): Promise<number> {
  const id = withoutFsync(db, () =>
    db.insert(rawSources).values({ byteLength: bytes.length }).returning({ id: rawSources.id }).get().id,
  );
  for (let seq = 0, offset = 0; offset < bytes.length; seq++, offset += chunkBytes) {
    await nextTurn();
    // A copy of the slice: the bytes may sit in memory shared with the mail reader's thread.
    const chunk = Buffer.from(bytes.subarray(offset, offset + chunkBytes));
    withoutFsync(db, () => insertChunk(db).run(id, seq, chunk));
  }
  return id;
}

/** The bytes of a stored source, whole (for an agent's download, or a later re-read). */
export function rawSourceBytes(db: Db, id: number): Buffer | null {
  const source = db.select().from(rawSources).where(eq(rawSources.id, id)).get();
  if (!source) return null;
  const chunks = db
    .select({ bytes: rawSourceChunks.bytes })
    .from(rawSourceChunks)
    .where(eq(rawSourceChunks.sourceId, id))
    .orderBy(asc(rawSourceChunks.seq))
    .all();
  return Buffer.concat(
    chunks.map((c) => c.bytes),
    source.byteLength,
  );
}

/** Drops a source nothing points at (the email turned out to be a duplicate). */
export function deleteRawSource(db: Db, id: number): void {
  db.delete(rawSourceChunks).where(eq(rawSourceChunks.sourceId, id)).run();
  db.delete(rawSources).where(eq(rawSources.id, id)).run();
}
