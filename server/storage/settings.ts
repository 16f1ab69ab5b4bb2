// Server-wide settings an admin changes in the inbox (Settings → Widget), one JSON value per key.
// Storage keeps the JSON as given and checks nothing: the service that owns a key parses it with
// zod on the way in and again on the way out. sqlite/settings.ts and pg/settings.ts implement it.

export interface SettingsStore {
  /** The value stored under `key`, parsed from JSON, or undefined when none is (or it is not JSON). */
  get(key: string): Promise<unknown>;
  /** Stores `value` (serialisable to JSON) under `key`, replacing what was there. */
  put(key: string, value: unknown, now: number): Promise<void>;
}

/** Parses a stored value; a hand-edited or damaged one reads as none (the owner falls back to defaults). */
export function parseSetting(json: string | undefined): unknown {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}
