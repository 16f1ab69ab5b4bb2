// The AgentStore's behaviour, the same on every engine (testing/engines.ts): agents, the last-admin
// rule, sessions and preferences. The "at once" cases hold one change's transaction open while the
// other arrives, so on PostgreSQL (several processes, one database) they show the row locks at work.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentStore } from './agents';
import type { Storage, Stores } from './index';
import { storageEngines } from './testing/engines';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const agent = (email: string, role: 'admin' | 'agent' = 'agent', name = email.split('@')[0]!) => ({ email, name, passwordHash: `hash of ${email}`, role });

/**
 * Runs `first` in a transaction that stays open until `second` has had time to reach the database,
 * then commits it: what `second` answers is what it made of `first`'s change.
 */
async function whileOpen<A, B>(storage: Storage, first: (tx: Stores) => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let begun!: () => void;
  const firstDidItsPart = new Promise<void>((resolve) => (begun = resolve));
  const firstDone = storage.transaction(async (tx) => {
    const result = await first(tx);
    begun();
    await held;
    return result;
  });
  void firstDone.catch(() => begun());
  await firstDidItsPart;
  const secondDone = second();
  await pause(200);
  release();
  return [await firstDone, await secondDone];
}

for (const engine of storageEngines()) {
  describe(`agents on ${engine.name}`, () => {
    let storage: Storage;
    let store: AgentStore;
    let adaId: number;

    beforeEach(async () => {
      const opened = await engine.open();
      ({ agentId: adaId } = opened);
      storage = opened;
      store = opened.agents;
    }, 120_000);
    afterAll(() => engine.close());

    const add = async (email: string, role: 'admin' | 'agent' = 'agent', name?: string) => (await store.insert(agent(email, role, name)))!.id;

    it('adds an agent, and refuses a second one with the same email', async () => {
      const grace = await store.insert(agent('grace@example.com', 'admin', 'Grace'));
      expect(grace).toEqual({ id: grace!.id, email: 'grace@example.com', name: 'Grace', role: 'admin' });
      expect(await store.insert(agent('grace@example.com', 'agent', 'Another Grace'))).toBeNull();
      expect(await store.count()).toBe(2);
      const record = await store.record(grace!.id);
      expect(record).toEqual({ id: grace!.id, email: 'grace@example.com', name: 'Grace', role: 'admin', active: true, createdAt: expect.any(Number) });
      expect(Math.abs(record!.createdAt - Date.now())).toBeLessThan(60_000);
    });

    it('makes no first admin once any agent exists', async () => {
      expect(await store.insertFirstAdmin({ email: 'root@example.com', name: 'Root', passwordHash: 'x' })).toBeNull();
      expect(await store.count()).toBe(1);
      expect(await store.signInRecord('root@example.com')).toBeNull();
    });

    it('finds an agent to sign in by email, with their hash, and says whether they are active', async () => {
      const grace = await add('grace@example.com');
      expect(await store.signInRecord('grace@example.com')).toEqual({
        agent: { id: grace, email: 'grace@example.com', name: 'grace', role: 'agent' },
        passwordHash: 'hash of grace@example.com',
        active: true,
      });
      await store.setActive(grace, false);
      expect((await store.signInRecord('grace@example.com'))?.active).toBe(false);
      expect(await store.signInRecord('nobody@example.com')).toBeNull();
      expect(await store.passwordHashOf(grace)).toBe('hash of grace@example.com');
      expect(await store.passwordHashOf(grace + 1000)).toBeNull();
    });

    it('lists every agent by name, capitals first as SQLite compares, and shows the team only the active ones', async () => {
      const bob = await add('bob@example.com', 'agent', 'bob');
      const emile = await add('emile@example.com', 'agent', 'Émile');
      const zoe = await add('zoe@example.com', 'agent', 'Zoe');
      const zoe2 = await add('zoe2@example.com', 'agent', 'Zoe');
      expect((await store.list()).map((a) => a.id)).toEqual([adaId, zoe, zoe2, bob, emile]);
      await store.setActive(zoe, false);
      expect((await store.list()).map((a) => [a.name, a.active])).toEqual([
        ['Ada', true],
        ['Zoe', false],
        ['Zoe', true],
        ['bob', true],
        ['Émile', true],
      ]);
      expect((await store.profiles()).map((p) => p.id)).toEqual([adaId, zoe2, bob, emile]);
      expect(await store.profile(zoe)).toBeNull();
      expect(await store.profile(bob)).toEqual({ id: bob, name: 'bob', availability: 'available', avatar: null });
    });

    it('shows a profile\'s status, new name and picture, and no picture once it is removed', async () => {
      await store.setAvailability(adaId, 'away');
      await store.setName(adaId, 'Ada L.');
      await store.setAvatar(adaId, { sha256: 'ab'.repeat(32), type: 'image/png' });
      expect(await store.profile(adaId)).toEqual({ id: adaId, name: 'Ada L.', availability: 'away', avatar: { sha256: 'ab'.repeat(32), type: 'image/png' } });
      expect(await store.profiles()).toEqual([await store.profile(adaId)]);
      await store.setAvatar(adaId, null);
      expect((await store.profile(adaId))?.avatar).toBeNull();
    });

    it('renames an agent and changes their role', async () => {
      await add('grace@example.com', 'admin');
      expect(await store.update(adaId, { name: 'Ada Lovelace' })).toMatchObject({ id: adaId, name: 'Ada Lovelace', role: 'agent', active: true });
      expect(await store.update(adaId, { role: 'admin' })).toMatchObject({ name: 'Ada Lovelace', role: 'admin' });
      expect(await store.update(adaId, { name: 'Ada', role: 'agent' })).toMatchObject({ name: 'Ada', role: 'agent' });
    });

    it('answers null (or false) for an agent that is not there', async () => {
      const nobody = adaId + 1000;
      expect(await store.record(nobody)).toBeNull();
      expect(await store.profile(nobody)).toBeNull();
      expect(await store.setActive(nobody, false)).toBeNull();
      expect(await store.setActive(nobody, true)).toBeNull();
      expect(await store.update(nobody, { name: 'Nobody' })).toBeNull();
      expect(await store.update(nobody, { role: 'agent' })).toBeNull();
      expect(await store.resetPassword(nobody, 'x')).toBe(false);
      expect(await store.updatePreferences(nobody, { sound: true })).toBeNull();
      expect(await store.count()).toBe(1);
    });

    describe('the last active admin', () => {
      it('is neither deactivated nor demoted, whoever asks', async () => {
        const grace = await add('grace@example.com', 'admin');
        const linus = await add('linus@example.com', 'admin');
        expect(await store.setActive(linus, false)).toMatchObject({ active: false });
        expect(await store.setActive(grace, false)).toBe('lastAdmin');
        expect(await store.update(grace, { role: 'agent' })).toBe('lastAdmin');
        expect(await store.update(grace, { name: 'Grace', role: 'agent' })).toBe('lastAdmin');
        expect(await store.record(grace)).toMatchObject({ name: 'grace', role: 'admin', active: true });
        expect(await store.update(grace, { name: 'Grace H.' })).toMatchObject({ name: 'Grace H.', role: 'admin' });
      });

      it('is not an agent, nor an inactive admin', async () => {
        await add('grace@example.com', 'admin');
        const linus = await add('linus@example.com', 'agent');
        expect(await store.setActive(linus, false)).toMatchObject({ active: false });
        expect(await store.update(linus, { role: 'admin' })).toMatchObject({ role: 'admin' });
        expect(await store.update(linus, { role: 'agent' })).toMatchObject({ role: 'agent' });
        expect(await store.setActive(linus, true)).toMatchObject({ active: true, role: 'agent' });
      });

      it('stays when two admins deactivate each other at once', async () => {
        const grace = await add('grace@example.com', 'admin');
        const linus = await add('linus@example.com', 'admin');
        const [first, second] = await whileOpen(
          storage,
          (tx) => tx.agents.setActive(linus, false),
          () => store.setActive(grace, false),
        );
        expect(first).toMatchObject({ id: linus, active: false });
        expect(second).toBe('lastAdmin');
        expect(await store.record(grace)).toMatchObject({ role: 'admin', active: true });
      });

      it('stays when two admins demote each other at once', async () => {
        const grace = await add('grace@example.com', 'admin');
        const linus = await add('linus@example.com', 'admin');
        const [first, second] = await whileOpen(
          storage,
          (tx) => tx.agents.update(grace, { role: 'agent' }),
          () => store.update(linus, { role: 'agent' }),
        );
        expect(first).toMatchObject({ id: grace, role: 'agent' });
        expect(second).toBe('lastAdmin');
        expect((await store.list()).filter((a) => a.role === 'admin').map((a) => a.id)).toEqual([linus]);
      });
    });

    describe('sessions', () => {
      const session = (tokenHash: string, agentId: number, expiresAt = 10_000) => ({ tokenHash, agentId, csrfToken: `csrf ${tokenHash}`, expiresAt });

      it('last until they expire or are ended', async () => {
        await store.startSession(session('t1', adaId, 10_000));
        expect(await store.session('t1', 9_999)).toEqual({ agent: { id: adaId, email: 'ada@example.com', name: 'Ada', role: 'agent' }, csrfToken: 'csrf t1' });
        expect(await store.session('t1', 10_000)).toBeNull();
        expect(await store.session('t2', 5_000)).toBeNull();
        await store.endSession('t1');
        expect(await store.session('t1', 5_000)).toBeNull();
      });

      it('end with a deactivation, and do not come back with the reactivation', async () => {
        const grace = await add('grace@example.com');
        await store.startSession(session('grace', grace));
        await store.startSession(session('ada', adaId));
        expect(await store.setActive(grace, false)).toMatchObject({ id: grace, active: false });
        expect(await store.session('grace', 5_000)).toBeNull();
        expect(await store.setActive(grace, true)).toMatchObject({ id: grace, active: true });
        expect(await store.session('grace', 5_000)).toBeNull();
        expect(await store.session('ada', 5_000)).not.toBeNull();
      });

      it('all but the current one end when an agent changes their password', async () => {
        const grace = await add('grace@example.com');
        for (const token of ['here', 'phone', 'laptop']) await store.startSession(session(token, grace));
        await store.startSession(session('ada', adaId));
        expect(await store.replacePassword(grace, 'new hash', 'here')).toBe('changed');
        expect(await store.passwordHashOf(grace)).toBe('new hash');
        expect(await store.session('here', 5_000)).not.toBeNull();
        expect(await store.session('phone', 5_000)).toBeNull();
        expect(await store.session('laptop', 5_000)).toBeNull();
        expect(await store.session('ada', 5_000)).not.toBeNull();
      });

      it('a password change from a session that has ended (or is someone else\'s) changes nothing', async () => {
        const grace = await add('grace@example.com');
        await store.startSession(session('phone', grace));
        await store.startSession(session('ada', adaId));
        expect(await store.replacePassword(grace, 'new hash', 'gone')).toBe('signedOut');
        expect(await store.replacePassword(grace, 'new hash', 'ada')).toBe('signedOut');
        expect(await store.passwordHashOf(grace)).toBe('hash of grace@example.com');
        expect(await store.session('phone', 5_000)).not.toBeNull();
      });

      it('of two password changes at once from two sessions, the second finds itself signed out', async () => {
        const grace = await add('grace@example.com');
        await store.startSession(session('phone', grace));
        await store.startSession(session('laptop', grace));
        const [first, second] = await whileOpen(
          storage,
          (tx) => tx.agents.replacePassword(grace, 'phone hash', 'phone'),
          () => store.replacePassword(grace, 'laptop hash', 'laptop'),
        );
        expect([first, second]).toEqual(['changed', 'signedOut']);
        expect(await store.passwordHashOf(grace)).toBe('phone hash');
        expect(await store.session('phone', 5_000)).not.toBeNull();
        expect(await store.session('laptop', 5_000)).toBeNull();
      });

      it('every one ends with an admin\'s password reset', async () => {
        const grace = await add('grace@example.com');
        await store.startSession(session('phone', grace));
        await store.startSession(session('laptop', grace));
        await store.startSession(session('ada', adaId));
        expect(await store.resetPassword(grace, 'reset hash')).toBe(true);
        expect(await store.passwordHashOf(grace)).toBe('reset hash');
        expect(await store.session('phone', 5_000)).toBeNull();
        expect(await store.session('laptop', 5_000)).toBeNull();
        expect(await store.session('ada', 5_000)).not.toBeNull();
      });
    });

    describe('preferences', () => {
      it('start as the defaults and keep what each change sets', async () => {
        expect(await store.preferences(adaId)).toEqual({ desktopNotifications: false, sound: false, notifyAbout: 'all', keyboardShortcuts: true });
        expect(await store.updatePreferences(adaId, { sound: true })).toEqual({ desktopNotifications: false, sound: true, notifyAbout: 'all', keyboardShortcuts: true });
        expect(await store.updatePreferences(adaId, { notifyAbout: 'mine', keyboardShortcuts: false })).toEqual({
          desktopNotifications: false,
          sound: true,
          notifyAbout: 'mine',
          keyboardShortcuts: false,
        });
        expect(await store.preferences(adaId)).toEqual({ desktopNotifications: false, sound: true, notifyAbout: 'mine', keyboardShortcuts: false });
        expect(await store.preferences(adaId + 1000)).toEqual({ desktopNotifications: false, sound: false, notifyAbout: 'all', keyboardShortcuts: true });
      });

      it('read a stored field that no longer makes sense as its default, and keep the others', async () => {
        await store.updatePreferences(adaId, { sound: true, notifyAbout: 'everything' as never });
        expect(await store.preferences(adaId)).toEqual({ desktopNotifications: false, sound: true, notifyAbout: 'all', keyboardShortcuts: true });
      });

      it('changed from two tabs at once keep both changes', async () => {
        const [, second] = await whileOpen(
          storage,
          (tx) => tx.agents.updatePreferences(adaId, { sound: true }),
          () => store.updatePreferences(adaId, { keyboardShortcuts: false }),
        );
        expect(second).toMatchObject({ sound: true, keyboardShortcuts: false });
        expect(await store.preferences(adaId)).toMatchObject({ sound: true, keyboardShortcuts: false });
      });
    });

    it('of two agents added at once with one email, makes one', async () => {
      const [first, second] = await whileOpen(
        storage,
        (tx) => tx.agents.insert(agent('grace@example.com', 'agent', 'Grace')),
        () => store.insert(agent('grace@example.com', 'admin', 'Other Grace')),
      );
      expect(first).toMatchObject({ name: 'Grace' });
      expect(second).toBeNull();
      expect((await store.list()).map((a) => a.name)).toEqual(['Ada', 'Grace']);
    });
  });
}

// The first admin is made on a fresh install, with no agent at all.
for (const engine of storageEngines()) {
  describe(`the first admin on ${engine.name}`, () => {
    let storage: Storage;

    beforeEach(async () => {
      storage = await engine.openEmpty();
    }, 120_000);
    afterAll(() => engine.close());

    const setup = (n: number) => ({ email: `admin${n}@example.com`, name: `Admin ${n}`, passwordHash: `hash ${n}` });

    it('is made on an empty database, and a later setup is turned away', async () => {
      expect(await storage.agents.count()).toBe(0);
      const first = await storage.agents.insertFirstAdmin(setup(1));
      expect(first).toEqual({ id: first!.id, email: 'admin1@example.com', name: 'Admin 1', role: 'admin' });
      expect(await storage.agents.insertFirstAdmin(setup(2))).toBeNull();
      expect((await storage.agents.list()).map((a) => [a.email, a.role, a.active])).toEqual([['admin1@example.com', 'admin', true]]);
    });

    it('is made exactly once when ten setups run at once', async () => {
      // Ten connections open first, so that no setup waits for one while another finishes.
      await Promise.all(
        Array.from({ length: 10 }, () =>
          storage.transaction(async (tx) => {
            await tx.agents.count();
            await pause(50);
          }),
        ),
      );
      const results = await Promise.all(Array.from({ length: 10 }, (_, n) => storage.agents.insertFirstAdmin(setup(n))));
      const made = results.filter((result) => result !== null);
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ role: 'admin' });
      expect((await storage.agents.list()).map((a) => a.email)).toEqual([made[0]!.email]);
    });

    it('is made exactly once when ten setups run at once, each in a transaction that goes on after it', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          storage.transaction(async (tx) => {
            const made = await tx.agents.insertFirstAdmin(setup(n));
            await pause(100);
            return made;
          }),
        ),
      );
      expect(results.filter((result) => result !== null)).toHaveLength(1);
      expect(await storage.agents.count()).toBe(1);
    });
  });
}
