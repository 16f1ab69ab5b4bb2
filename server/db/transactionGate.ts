// One SQLite connection serves the whole process, and a transaction's work may now await (the stores
// answer with promises, as PostgreSQL's must). While it does, a write from anyone else would land
// inside that transaction and commit or roll back with it. The gate keeps them apart: a transaction
// holds it from BEGIN to COMMIT, and every call from outside waits at it until the transaction ends.
// The transaction's own calls go around the gate (server/storage/sqlite hands them other stores).

export class TransactionGate {
  /** Settles when the transaction that holds the gate ends; null while nobody holds it. */
  private held: Promise<void> | null = null;

  /** Whether a transaction holds the gate right now (a caller outside it must wait). */
  get closed(): boolean {
    return this.held !== null;
  }

  /** Runs `call` as soon as no transaction holds the gate: at once (synchronously) when none does. */
  async pass<T>(call: () => T | Promise<T>): Promise<T> {
    // No await between the last check and the call: nothing can take the gate in between.
    while (this.held) await this.held;
    return call();
  }

  /** Holds the gate while `work` runs, once nobody else holds it; calls from outside wait meanwhile. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    while (this.held) await this.held;
    let release!: () => void;
    this.held = new Promise((done) => (release = done));
    try {
      return await work();
    } finally {
      this.held = null;
      release();
    }
  }
}
