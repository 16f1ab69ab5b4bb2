// Saved responses as storage keeps them: reusable reply texts, each with a free-text category.
// sqlite/savedResponses.ts and pg/savedResponses.ts implement it; savedResponses.contract.ts is the
// behaviour both must show. Asynchronous, as every store will be, so PostgreSQL can implement it.
import type { SavedResponse } from '../../shared/protocol';

export interface SavedResponseFields {
  title: string;
  body: string;
  category: string;
}

export interface SavedResponseStore {
  /** All of them, by category and then title, ignoring case. */
  list(): Promise<SavedResponse[]>;
  create(input: SavedResponseFields, agentId: number, now?: number): Promise<SavedResponse>;
  /** The updated saved response, or null if there is none with this id. */
  update(id: number, changes: Partial<SavedResponseFields>, now?: number): Promise<SavedResponse | null>;
  /** Whether there was one with this id. */
  delete(id: number): Promise<boolean>;
}
