// The SettingsStore (../settings.ts) in PostgreSQL: the `settings` table, one row per key.
import { eq } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/open';
import { settings } from '../../db/pg/schema';
import { parseSetting, type SettingsStore } from '../settings';

export function pgSettingsStore(db: PgDb): SettingsStore {
  return {
    async get(key) {
      const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
      return parseSetting(row?.value);
    },
    async put(key, value, now) {
      const json = JSON.stringify(value);
      await db
        .insert(settings)
        .values({ key, value: json, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: json, updatedAt: now } });
    },
  };
}
