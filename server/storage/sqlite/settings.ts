// The SettingsStore (../settings.ts) in SQLite: the `settings` table, one row per key.
import { eq } from 'drizzle-orm';
import { schema, type Db } from '../../db';
import type { SettingsStore } from '../settings';

const { settings } = schema;

export function sqliteSettingsStore(db: Db): SettingsStore {
  return {
    get(key) {
      const row = db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as unknown;
      } catch {
        // Hand-edited or damaged: the owner's parser falls back to its defaults.
        return undefined;
      }
    },
    put(key, value, now) {
      const json = JSON.stringify(value);
      db.insert(settings)
        .values({ key, value: json, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: json, updatedAt: now } })
        .run();
    },
  };
}
