// The bytes of every kept file, under the data folder, named by their SHA-256: the same bytes are
// stored once, however many messages carry them. Writes are async and atomic (a temp file, fsync,
// rename, fsync of the folder), so a large file never holds the event loop and a file is only ever
// seen whole. It must never name a file after anything a sender chose.
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredFile {
  sha256: string;
  byteLength: number;
}

/** Hashing happens in slices of this size with a turn of the event loop between them. */
const HASH_SLICE_BYTES = 1024 * 1024;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** A download grew past the bytes it was allowed. */
export class FileTooLargeError extends Error {}

export class FileStore {
  private readonly temp: string;

  constructor(readonly folder: string) {
    this.temp = join(folder, 'tmp');
  }

  private pathOf(sha256: string): string {
    if (!HEX_SHA256.test(sha256)) throw new Error('Not a SHA-256');
    return join(this.folder, sha256.slice(0, 2), sha256);
  }

  /**
   * Keeps `bytes` (already hashed by whoever read them off the event loop, or hashed here in slices)
   * and resolves once they are on disk.
   */
  async put(bytes: Uint8Array, knownSha256?: string): Promise<StoredFile> {
    const sha256 = knownSha256 ?? (await hashInSlices(bytes));
    const byteLength = bytes.byteLength;
    if (await this.has(sha256)) return { sha256, byteLength };
    await this.writeAtomically(async (file) => {
      await file.writeFile(bytes);
      return sha256;
    });
    return { sha256, byteLength };
  }

  /**
   * Keeps what `body` streams, hashing as it arrives; stops and throws FileTooLargeError past
   * `maxBytes`, leaving nothing behind.
   */
  async putStream(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredFile> {
    const hash = createHash('sha256');
    let byteLength = 0;
    const sha256 = await this.writeAtomically(async (file) => {
      for await (const chunk of body) {
        byteLength += chunk.byteLength;
        if (byteLength > maxBytes) throw new FileTooLargeError(`larger than ${maxBytes} bytes`);
        hash.update(chunk);
        await file.write(chunk);
      }
      return hash.digest('hex');
    });
    return { sha256, byteLength };
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** The kept bytes, streamed. */
  read(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }

  /**
   * A temp file that `write` fills and names (by the SHA-256 of what it wrote), synced, then renamed
   * into place; on any failure the temp file goes and nothing is left behind.
   */
  private async writeAtomically(write: (file: Awaited<ReturnType<typeof open>>) => Promise<string>): Promise<string> {
    await mkdir(this.temp, { recursive: true });
    const tempPath = join(this.temp, randomUUID());
    const file = await open(tempPath, 'wx');
    let sha256: string;
    try {
      sha256 = await write(file);
      await file.sync();
    } catch (err) {
      await file.close();
      await rm(tempPath, { force: true });
      throw err;
    }
    await file.close();
    await this.settle(tempPath, sha256);
    return sha256;
  }

  /** Renames a synced temp file to its name, then syncs the folder so the rename survives a crash. */
  private async settle(tempPath: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    const folder = join(this.folder, sha256.slice(0, 2));
    await mkdir(folder, { recursive: true });
    // Same bytes under the same name: replacing a twin written meanwhile changes nothing.
    await rename(tempPath, target);
    const dir = await open(folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

async function hashInSlices(bytes: Uint8Array): Promise<string> {
  const hash: Hash = createHash('sha256');
  for (let offset = 0; offset < bytes.byteLength; offset += HASH_SLICE_BYTES) {
    hash.update(bytes.subarray(offset, offset + HASH_SLICE_BYTES));
    if (offset + HASH_SLICE_BYTES < bytes.byteLength) await new Promise((resolve) => setImmediate(resolve));
  }
  return hash.digest('hex');
}
