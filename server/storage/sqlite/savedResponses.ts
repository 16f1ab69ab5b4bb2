// The SavedResponseStore (../savedResponses.ts) in SQLite: the `saved_responses` table, categories
// being only a column of it.
import { asc, eq, sql } from 'drizzle-orm';
import type { SavedResponse } from '../../../shared/protocol';
import { schema, type Db } from '../../db';
import type { SavedResponseFields, SavedResponseStore } from '../savedResponses';

const { savedResponses } = schema;

const columns = {
  id: savedResponses.id,
  title: savedResponses.title,
  body: savedResponses.body,
  category: savedResponses.category,
  createdAt: savedResponses.createdAt,
  updatedAt: savedResponses.updatedAt,
};

export function listSavedResponses(db: Db): SavedResponse[] {
  return db
    .select(columns)
    .from(savedResponses)
    .orderBy(asc(sql`lower(${savedResponses.category})`), asc(sql`lower(${savedResponses.title})`))
    .all();
}

export function createSavedResponse(db: Db, input: SavedResponseFields, agentId: number, now = Date.now()): SavedResponse {
  return db
    .insert(savedResponses)
    .values({ ...input, createdBy: agentId, createdAt: now, updatedAt: now })
    .returning(columns)
    .get();
}

/** The updated saved response, or null if there is none with this id. */
export function updateSavedResponse(db: Db, id: number, changes: Partial<SavedResponseFields>, now = Date.now()): SavedResponse | null {
  return db.update(savedResponses).set({ ...changes, updatedAt: now }).where(eq(savedResponses.id, id)).returning(columns).get() ?? null;
}

export function deleteSavedResponse(db: Db, id: number): boolean {
  return db.delete(savedResponses).where(eq(savedResponses.id, id)).run().changes > 0;
}

/** The store's promises are settled already: SQLite answers synchronously. */
export function sqliteSavedResponseStore(db: Db): SavedResponseStore {
  return {
    list: async () => listSavedResponses(db),
    create: async (input, agentId, now) => createSavedResponse(db, input, agentId, now),
    update: async (id, changes, now) => updateSavedResponse(db, id, changes, now),
    delete: async (id) => deleteSavedResponse(db, id),
  };
}
