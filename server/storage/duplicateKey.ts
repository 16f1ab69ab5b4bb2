// A write refused because a unique key is taken, on either engine: callers that expect it (a second
// copy of something stored once) tell it from a real failure without knowing the engine.

/** SQLite's extended result code, and PostgreSQL's SQLSTATE unique_violation. */
export function isDuplicateKey(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
