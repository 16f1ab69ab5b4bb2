// Saved responses as storage keeps them: reusable reply texts, each with a free-text category.
// sqlite/savedResponses.ts implements it.
import type { SavedResponse } from '../../shared/protocol';

export interface SavedResponseFields {
  title: string;
  body: string;
  category: string;
}

export interface SavedResponseStore {
  /** All of them, by category and then title, ignoring case. */
  list(): SavedResponse[];
  create(input: SavedResponseFields, agentId: number, now?: number): SavedResponse;
  /** The updated saved response, or null if there is none with this id. */
  update(id: number, changes: Partial<SavedResponseFields>, now?: number): SavedResponse | null;
  /** Whether there was one with this id. */
  delete(id: number): boolean;
}
