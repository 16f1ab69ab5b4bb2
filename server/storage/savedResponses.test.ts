// The SavedResponseStore's behaviour, the same on every engine (testing/engines.ts).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { SavedResponseStore } from './savedResponses';
import { storageEngines } from './testing/engines';

for (const engine of storageEngines()) {
  describe(`saved responses on ${engine.name}`, () => {
    let store: SavedResponseStore;
    let agentId: number;

    beforeEach(async () => {
      ({ savedResponses: store, agentId } = await engine.open());
    }, 120_000);
    afterAll(() => engine.close());

    it('lists by category and then title, ignoring case', async () => {
      for (const [title, category] of [
        ['returns', 'Shipping'],
        ['Delays', 'shipping'],
        ['Hello', 'Greetings'],
        ['ahoy', 'Greetings'],
      ] as const) {
        await store.create({ title, body: `${title} text`, category }, agentId, 1000);
      }
      expect((await store.list()).map((r) => `${r.category}/${r.title}`)).toEqual(['Greetings/ahoy', 'Greetings/Hello', 'shipping/Delays', 'Shipping/returns']);
    });

    it('creates, updates what it is given and deletes, answering null or false for an id that is not there', async () => {
      const created = await store.create({ title: 'Refunds', body: 'Within 30 days.', category: 'Billing' }, agentId, 1000);
      expect(created).toEqual({ id: created.id, title: 'Refunds', body: 'Within 30 days.', category: 'Billing', createdAt: 1000, updatedAt: 1000 });

      const updated = await store.update(created.id, { body: 'Within 60 days.' }, 2000);
      expect(updated).toEqual({ ...created, body: 'Within 60 days.', updatedAt: 2000 });
      expect(await store.update(created.id + 1000, { body: 'x' })).toBeNull();

      expect(await store.delete(created.id)).toBe(true);
      expect(await store.delete(created.id)).toBe(false);
      expect(await store.list()).toEqual([]);
    });
  });
}
