// The SavedResponseStore (../savedResponses.ts) in PostgreSQL: the `saved_responses` table of
// server/db/pg/schema.ts. The same queries as sqlite/savedResponses.ts, awaited.
import { asc, eq, sql } from 'drizzle-orm';
import type { SavedResponse } from '../../../shared/protocol';
import { savedResponses } from '../../db/pg/schema';
import type { PgDb } from '../../db/pg/open';
import type { SavedResponseStore } from '../savedResponses';

const columns = {
  id: savedResponses.id,
  title: savedResponses.title,
  body: savedResponses.body,
  category: savedResponses.category,
  createdAt: savedResponses.createdAt,
  updatedAt: savedResponses.updatedAt,
};

export function pgSavedResponseStore(db: PgDb): SavedResponseStore {
  return {
    list: (): Promise<SavedResponse[]> =>
      db
        .select(columns)
        .from(savedResponses)
        .orderBy(asc(sql`lower(${savedResponses.category})`), asc(sql`lower(${savedResponses.title})`)),
    async create(input, agentId, now = Date.now()) {
      const [created] = await db
        .insert(savedResponses)
        .values({ ...input, createdBy: agentId, createdAt: now, updatedAt: now })
        .returning(columns);
      return created!;
    },
    async update(id, changes, now = Date.now()) {
      const [updated] = await db.update(savedResponses).set({ ...changes, updatedAt: now }).where(eq(savedResponses.id, id)).returning(columns);
      return updated ?? null;
    },
    async delete(id) {
      const deleted = await db.delete(savedResponses).where(eq(savedResponses.id, id)).returning({ id: savedResponses.id });
      return deleted.length > 0;
    },
  };
}
