// The search index lives in its own file, written by a worker thread: what is stored is findable
// once catchUp resolves, and an index file that went missing is rebuilt from the messages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { createConversation, createVisitor, editMessage, insertMessage } from './conversations';
import { openDatabase, type Database } from '../../db';
import { sqliteStorage } from './index';
import { search } from '../../search';
import { SearchIndexer } from './searchIndexer';
import { searchIndexPath } from './searchIndex';

describe('the search index worker', () => {
  let dir: string;
  let dbPath: string;
  let database: Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-search-'));
    dbPath = join(dir, 'parley.db');
    database = openDatabase(dbPath);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function write(body: string): number {
    const { visitor } = createVisitor(database.db);
    const conversation = createConversation(database.db, visitor.id);
    return insertMessage(database.db, { conversationId: conversation.id, author: 'visitor', body }).message.id;
  }
  const find = async (text: string) => (await search(sqliteStorage(database.db), text, 10, async () => ({}) as never)).map((r) => r.messageId);

  it('finds a message stored a moment before the search, once catchUp resolves', async () => {
    const indexer = new SearchIndexer(database.db, dbPath);
    const id = write('Do you ship espresso beans to Norway?');
    await indexer.catchUp();
    expect(await find('norw')).toEqual([id]);
    expect(await find('zebra')).toEqual([]);
    await indexer.stop();
  });

  it('rebuilds a lost index file from the messages', async () => {
    const ids = [write('grind size for a moka pot'), write('grind it finer')];
    const first = new SearchIndexer(database.db, dbPath);
    await first.catchUp();
    await first.stop();
    database.sqlite.prepare('detach database search').run();
    rmSync(searchIndexPath(dbPath), { force: true });
    rmSync(`${searchIndexPath(dbPath)}-wal`, { force: true });
    rmSync(`${searchIndexPath(dbPath)}-shm`, { force: true });

    const second = new SearchIndexer(database.db, dbPath);
    await second.catchUp();
    expect(await find('grind')).toEqual([...ids].reverse());
    await second.stop();
  });

  it('finds an edited message by its new words and no longer by the old ones, indexed before or after the edit', async () => {
    const indexer = new SearchIndexer(database.db, dbPath);
    const indexedFirst = write('Is the kettle dishwasher safe?');
    await indexer.catchUp();
    const editedBeforeIndexing = write('Do you sell teapots?');
    const edit = (id: number, body: string) => editMessage(database.db, id, body, Date.now());
    edit(indexedFirst, 'Is the grinder dishwasher safe?');
    edit(editedBeforeIndexing, 'Do you sell samovars?');
    edit(indexedFirst, 'Is the grinder oven safe?');
    await indexer.catchUp();
    expect(await find('kettle')).toEqual([]);
    expect(await find('dishwasher')).toEqual([]);
    expect(await find('grinder')).toEqual([indexedFirst]);
    expect(await find('teapots')).toEqual([]);
    expect(await find('samovars')).toEqual([editedBeforeIndexing]);
    await indexer.stop();
  });

  it('rebuilds an index made before edits could be re-indexed', async () => {
    const id = write('a moka pot gasket');
    const old = new BetterSqlite3(searchIndexPath(dbPath));
    old.exec(`create virtual table messages_fts using fts5(body, content='', tokenize='unicode61 remove_diacritics 2');
      create table index_state (id integer primary key check (id = 1), last_message_id integer not null);
      insert into index_state values (1, 999);`);
    old.close();
    const indexer = new SearchIndexer(database.db, dbPath);
    await indexer.catchUp();
    expect(await find('gasket')).toEqual([id]);
    await indexer.stop();
  });
});
