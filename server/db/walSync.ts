// Makes commits that skipped their fsync durable without blocking the main thread. better-sqlite3 is
// synchronous: a commit at synchronous=FULL waits for the disk on the event loop, and on this kind of
// virtual disk that was half the main thread's time under load (every socket waiting). Here the
// commit only writes the WAL into the page cache, and fdatasync of the WAL file runs in libuv's
// thread pool; the caller acknowledges once it resolves, so "acknowledged" still means "on disk".
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  private file: Promise<FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  /** `walPath` null (an in-memory database): there is no disk, and every sync resolves at once. */
  constructor(private readonly walPath: string | null) {}

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (this.walPath === null) return Promise.resolve();
    if (!this.running) return (this.running = this.runOne());
    // The running fdatasync may have started before the caller's commit, so it cannot vouch for
    // it: wait for the next one, which every caller until it starts shares (group commit).
    this.queued ??= this.running
      .catch(() => {})
      .then(() => {
        this.queued = null;
        return (this.running ??= this.runOne());
      });
    return this.queued;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    const file = this.file;
    this.file = null;
    if (file) await (await file).close();
  }

  private async runOne(): Promise<void> {
    try {
      // Opened on first use: the WAL file exists once something was committed. SQLite keeps the
      // same file (truncating, never deleting it) while Parley's connection is open.
      this.file ??= open(this.walPath as string, 'r');
      await (await this.file).datasync();
    } catch (err) {
      // Reopen next time rather than keep a handle that failed.
      const failed = this.file;
      this.file = null;
      failed?.then((file) => file.close()).catch(() => {});
      throw err;
    } finally {
      this.running = null;
    }
  }
}
