// The SettingsStore (../settings.ts) in SQLite: the `settings` table, one row per key.
import { eq } from 'drizzle-orm';
import { schema, type Db } from '../../db';
import { parseSetting, type SettingsStore } from '../settings';

const { settings } = schema;

/** The store's promises are settled already: SQLite answers synchronously. */
export function sqliteSettingsStore(db: Db): SettingsStore {
  return {
    async get(key) {
      return parseSetting(db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value);
    },
    async put(key, value, now) {
      const json = JSON.stringify(value);
      db.insert(settings)
        .values({ key, value: json, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: json, updatedAt: now } })
        .run();
    },
  };
}
