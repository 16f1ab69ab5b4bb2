// A short, bounded pause of the chat batch writer, asked for by the checkpointer so its last pass
// can copy every frame and the next commit starts the WAL over (why that needs a pause: see
// checkpointer.ts). Only commits wait; the event loop keeps serving sockets and nothing is refused.

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
