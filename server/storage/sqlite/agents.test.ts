// The last-admin rule where it is enforced: in the same transaction as the change, so two admins
// deactivating or demoting each other at once cannot both succeed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage, type OpenSqliteStorage } from '.';

let opened: OpenSqliteStorage;
beforeEach(() => {
  opened = openSqliteStorage(join(mkdtempSync(join(tmpdir(), 'parley-agents-')), 'parley.db'), { indexSearch: false });
});
afterEach(() => opened.close());

const add = (email: string, role: 'admin' | 'agent') => opened.storage.agents.insert({ email, name: email, passwordHash: 'x', role })!.id;

describe('last active admin', () => {
  it('is neither deactivated nor demoted, whoever asks', () => {
    const grace = add('grace@example.com', 'admin');
    const linus = add('linus@example.com', 'admin');
    expect(opened.storage.agents.setActive(linus, false)).toMatchObject({ active: false });
    expect(opened.storage.agents.setActive(grace, false)).toBe('lastAdmin');
    expect(opened.storage.agents.update(grace, { role: 'agent' })).toBe('lastAdmin');
    expect(opened.storage.agents.record(grace)).toMatchObject({ role: 'admin', active: true });
  });

  it('does not count an agent, or an inactive admin, as the last admin', () => {
    add('grace@example.com', 'admin');
    const linus = add('linus@example.com', 'agent');
    expect(opened.storage.agents.setActive(linus, false)).toMatchObject({ active: false });
    expect(opened.storage.agents.update(linus, { role: 'admin' })).toMatchObject({ role: 'admin' });
    expect(opened.storage.agents.update(linus, { role: 'agent' })).toMatchObject({ role: 'agent' });
  });
});
