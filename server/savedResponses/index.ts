// Saved responses: reusable reply texts agents insert from the composer, grouped by category.
// Categories are not a table of their own: a category exists while a saved response uses it.
import type { SavedResponse } from '../../shared/protocol';
import type { Storage } from '../storage';

export async function listSavedResponses(storage: Storage): Promise<{ savedResponses: SavedResponse[]; categories: string[] }> {
  const all = await storage.savedResponses.list();
  const categories = [...new Set(all.map((r) => r.category))].sort((a, b) => a.localeCompare(b));
  return { savedResponses: all, categories };
}
