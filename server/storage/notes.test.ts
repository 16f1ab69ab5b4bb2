// The NoteStore's behaviour, the same on every engine (testing/engines.ts).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { NoteStore } from './notes';
import { storageEngines } from './testing/engines';

for (const engine of storageEngines()) {
  describe(`private notes on ${engine.name}`, () => {
    let store: NoteStore;
    let agentId: number;
    let conversationId: number;

    beforeEach(async () => {
      ({ notes: store, agentId, conversationId } = await engine.open());
    }, 120_000);
    afterAll(() => engine.close());

    it('adds notes with their author and mentions, and lists a conversation\'s oldest first', async () => {
      const first = await store.add({ conversationId, agentId, body: 'Refund approved, @Ada', mentions: [agentId], now: 2000 });
      expect(first).toEqual({ id: first.id, conversationId, agentId, agentName: 'Ada', body: 'Refund approved, @Ada', mentions: [agentId], createdAt: 2000 });
      await store.add({ conversationId, agentId, body: 'Shipped.', mentions: [], now: 3000 });
      expect((await store.ofConversation(conversationId)).map((note) => [note.body, note.agentName, note.mentions])).toEqual([
        ['Refund approved, @Ada', 'Ada', [agentId]],
        ['Shipped.', 'Ada', []],
      ]);
      expect(await store.ofConversation(conversationId + 1)).toEqual([]);
    });
  });
}
