// A database made by an earlier Parley, with conversations in it, brought up to date by openDatabase.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../paths';
import { openDatabase } from '.';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A database file migrated up to, not including, the migration tagged `before`. */
function databaseBefore(before: string): { path: string; sqlite: BetterSqlite3.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-migrations-'));
  folders.push(dir);
  const earlier = join(dir, 'migrations');
  cpSync(migrationsFolder, earlier, { recursive: true });
  const journalPath = join(earlier, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === before);
  if (cut < 0) throw new Error(`no migration ${before}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  const path = join(dir, 'parley.db');
  const sqlite = new BetterSqlite3(path);
  migrate(drizzle(sqlite), { migrationsFolder: earlier });
  return { path, sqlite };
}

describe('upgrading to message seq (0016)', () => {
  it("numbers existing messages per conversation in id order, and carries the visitor's seen id over as a seq", async () => {
    const { path, sqlite } = databaseBefore('0016_message_seq');
    sqlite.prepare("insert into agents (id, email, name, password_hash) values (1, 'ada@example.com', 'Ada', 'x')").run();
    for (const id of [1, 2, 3]) sqlite.prepare('insert into visitors (id, last_seen_at) values (?, 0)').run(id);
    // Conversation 1's visitor saw up to message 4; conversation 2's saw nothing; 3 has no messages.
    const conversation = sqlite.prepare('insert into conversations (id, visitor_id, last_message_at, visitor_seen_message_id) values (?, ?, 0, ?)');
    conversation.run(1, 1, 4);
    conversation.run(2, 2, 0);
    conversation.run(3, 3, 0);
    const message = sqlite.prepare("insert into messages (id, conversation_id, author, agent_id, body, client_id) values (?, ?, ?, ?, ?, ?)");
    message.run(1, 1, 'visitor', null, 'a1', 'client-a1');
    message.run(2, 2, 'visitor', null, 'b1', null);
    message.run(4, 1, 'agent', 1, 'a2', null);
    message.run(5, 2, 'agent', 1, 'b2', null);
    message.run(7, 1, 'agent', 1, 'a3', null);
    // The last message of all was deleted: its id must not be handed out again.
    message.run(9, 2, 'visitor', null, 'gone', null);
    sqlite.prepare('delete from messages where id = 9').run();
    sqlite.close();

    const database = openDatabase(path);
    try {
      const rows = database.sqlite.prepare('select id, conversation_id as c, seq, body, client_id as clientId from messages order by id').all();
      expect(rows).toEqual([
        { id: 1, c: 1, seq: 1, body: 'a1', clientId: 'client-a1' },
        { id: 2, c: 2, seq: 1, body: 'b1', clientId: null },
        { id: 4, c: 1, seq: 2, body: 'a2', clientId: null },
        { id: 5, c: 2, seq: 2, body: 'b2', clientId: null },
        { id: 7, c: 1, seq: 3, body: 'a3', clientId: null },
      ]);
      const conversations = database.sqlite.prepare('select id, last_seq as lastSeq, visitor_seen_seq as seen from conversations order by id').all();
      expect(conversations).toEqual([
        { id: 1, lastSeq: 3, seen: 2 },
        { id: 2, lastSeq: 2, seen: 0 },
        { id: 3, lastSeq: 0, seen: 0 },
      ]);
      const columns = (database.sqlite.prepare('pragma table_info(conversations)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).not.toContain('visitor_seen_message_id');
      // A seq is unique in its conversation, and new messages still get new ids.
      expect(() => database.sqlite.prepare("insert into messages (conversation_id, seq, author, body) values (1, 3, 'visitor', 'x')").run()).toThrow(/UNIQUE/);
      const next = database.sqlite.prepare("insert into messages (conversation_id, seq, author, body) values (1, 4, 'visitor', 'x') returning id").get();
      expect(next).toEqual({ id: 10 });
    } finally {
      await database.close();
    }
  });
});
