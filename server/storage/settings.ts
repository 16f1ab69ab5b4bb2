// Server-wide settings an admin changes in the inbox (Settings → Widget), one JSON value per key.
// Storage keeps the JSON as given and checks nothing: the service that owns a key parses it with
// zod on the way in and again on the way out. sqlite/settings.ts implements it.

export interface SettingsStore {
  /** The value stored under `key`, parsed from JSON, or undefined when none is (or it is not JSON). */
  get(key: string): unknown;
  /** Stores `value` (serialisable to JSON) under `key`, replacing what was there. */
  put(key: string, value: unknown, now: number): void;
}
