// A short, bounded pause of the chat batch writer, asked for by the checkpointer (checkpointer.ts).
// SQLite only starts its WAL file over from the beginning when a write finds every frame already
// copied into the database. Under steady chat traffic a commit lands during every checkpoint, so
// that never happens: the WAL grew by about 25 KB a message, without end (hundreds of MB in a bench
// run), and each commit then extended the file, waiting on the filesystem journal behind the
// running fdatasync. A pause of a few milliseconds once a second lets the checkpointer finish.
// Only commits wait; the event loop keeps serving sockets and nothing is refused.

export class WritePause {
  private resumed: Promise<void> | null = null;
  private resumeNow: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Holds writes until resume(), or for at most `maxMs` if the checkpointer is slow to answer. */
  pause(maxMs: number): void {
    if (this.resumed) return;
    this.resumed = new Promise<void>((resolve) => (this.resumeNow = resolve));
    this.timer = setTimeout(() => this.resume(), maxMs);
    this.timer.unref();
  }

  resume(): void {
    clearTimeout(this.timer);
    const resumeNow = this.resumeNow;
    this.resumed = null;
    this.resumeNow = null;
    resumeNow?.();
  }

  /** Null while writes may go ahead; during a pause, resolves when it ends. */
  get whilePaused(): Promise<void> | null {
    return this.resumed;
  }
}
