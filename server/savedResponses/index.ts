// Saved responses: reusable reply texts agents insert from the composer, grouped by category.
// Categories are not a table of their own: a category exists while a saved response uses it.
import { asc, eq, sql } from 'drizzle-orm';
import type { SavedResponse } from '../../shared/protocol';
import { schema, type Db } from '../db';

const { savedResponses } = schema;

const columns = {
  id: savedResponses.id,
  title: savedResponses.title,
  body: savedResponses.body,
  category: savedResponses.category,
  createdAt: savedResponses.createdAt,
  updatedAt: savedResponses.updatedAt,
};

export function listSavedResponses(db: Db): { savedResponses: SavedResponse[]; categories: string[] } {
  const all = db
    .select(columns)
    .from(savedResponses)
    .orderBy(asc(sql`lower(${savedResponses.category})`), asc(sql`lower(${savedResponses.title})`))
    .all();
  const categories = [...new Set(all.map((r) => r.category))].sort((a, b) => a.localeCompare(b));
  return { savedResponses: all, categories };
}

export function createSavedResponse(
  db: Db,
  input: { title: string; body: string; category: string },
  agentId: number,
  now = Date.now(),
): SavedResponse {
  return db
    .insert(savedResponses)
    .values({ ...input, createdBy: agentId, createdAt: now, updatedAt: now })
    .returning(columns)
    .get();
}

/** The updated saved response, or null if there is none with this id. */
export function updateSavedResponse(
  db: Db,
  id: number,
  changes: Partial<{ title: string; body: string; category: string }>,
  now = Date.now(),
): SavedResponse | null {
  return db.update(savedResponses).set({ ...changes, updatedAt: now }).where(eq(savedResponses.id, id)).returning(columns).get() ?? null;
}

export function deleteSavedResponse(db: Db, id: number): boolean {
  return db.delete(savedResponses).where(eq(savedResponses.id, id)).run().changes > 0;
}
