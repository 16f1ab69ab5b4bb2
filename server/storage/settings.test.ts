// The SettingsStore's behaviour, the same on every engine (testing/engines.ts).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { SettingsStore } from './settings';
import { storageEngines } from './testing/engines';

for (const engine of storageEngines()) {
  describe(`settings on ${engine.name}`, () => {
    let store: SettingsStore;

    beforeEach(async () => {
      ({ settings: store } = await engine.open());
    }, 120_000);
    afterAll(() => engine.close());

    it('keeps one JSON value per key, the last put winning', async () => {
      expect(await store.get('widget')).toBeUndefined();
      await store.put('widget', { title: 'Chat with us', hours: null }, 1000);
      await store.put('other', [1, 2], 1000);
      await store.put('widget', { title: 'Talk to Acme', hours: { mon: ['09:00', '17:00'] } }, 2000);
      expect(await store.get('widget')).toEqual({ title: 'Talk to Acme', hours: { mon: ['09:00', '17:00'] } });
      expect(await store.get('other')).toEqual([1, 2]);
    });
  });
}
