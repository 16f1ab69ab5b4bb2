// The two schemas must describe the same data: every table, column (name, nullability, default or not)
// and index (name, columns, uniqueness) of one is in the other, but for the differences listed here,
// each with its reason in pg/schema.ts. A column added to one engine only fails here.
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as sqlite from '../schema';
import * as pg from './schema';

/** Only in PostgreSQL: the generated search words. */
const PG_ONLY_COLUMNS = ['messages.search_vector'];
const PG_ONLY_INDEXES = ['messages_search_idx'];
/** Only in SQLite: the FTS5 side database's queue of edited messages (PostgreSQL's vector follows edits). */
const SQLITE_ONLY_TABLES = ['search_reindex'];

interface Shape {
  columns: string[];
  indexes: string[];
}

/** A primary key's own default (autoincrement, identity) is each engine's business: not compared. */
function describeTables(tables: { name: string; columns: { name: string; notNull: boolean; hasDefault: boolean; primary: boolean }[]; indexes: { name: string; columns: string[]; unique: boolean }[] }[]) {
  const shapes = new Map<string, Shape>();
  for (const t of tables) {
    shapes.set(t.name, {
      columns: t.columns.map((c) => `${t.name}.${c.name}${c.notNull || c.primary ? ' not null' : ''}${c.hasDefault ? ' default' : ''}`).sort(),
      indexes: t.indexes.map((i) => `${i.name}(${i.columns.join(',')})${i.unique ? ' unique' : ''}`).sort(),
    });
  }
  return shapes;
}

const indexColumns = (columns: unknown[]) => columns.map((c) => (c as { name?: string }).name ?? '?');

const sqliteShapes = describeTables(
  (Object.values(sqlite) as unknown[])
    .filter((t): t is SQLiteTable => t instanceof SQLiteTable)
    .map((t) => {
      const c = sqliteTableConfig(t);
      return {
        name: c.name,
        columns: c.columns.map((col) => ({ name: col.name, notNull: col.notNull, hasDefault: col.hasDefault && !col.primary, primary: col.primary })),
        indexes: c.indexes.map((i) => ({ name: i.config.name, columns: indexColumns(i.config.columns), unique: i.config.unique })),
      };
    }),
);

const pgShapes = describeTables(
  (Object.values(pg) as unknown[])
    .filter((t): t is PgTable => t instanceof PgTable)
    .map((t) => {
      const c = pgTableConfig(t);
      return {
        name: c.name,
        columns: c.columns
          .filter((col) => !PG_ONLY_COLUMNS.includes(`${c.name}.${col.name}`))
          .map((col) => ({ name: col.name, notNull: col.notNull, hasDefault: col.hasDefault && !col.primary, primary: col.primary })),
        indexes: c.indexes
          .filter((i) => !PG_ONLY_INDEXES.includes(i.config.name ?? ''))
          .map((i) => ({ name: i.config.name ?? '', columns: indexColumns(i.config.columns), unique: i.config.unique })),
      };
    }),
);

describe('the PostgreSQL schema', () => {
  it('has every SQLite table, and no other', () => {
    const fromSqlite = [...sqliteShapes.keys()].filter((name) => !SQLITE_ONLY_TABLES.includes(name)).sort();
    expect([...pgShapes.keys()].sort()).toEqual(fromSqlite);
  });

  for (const [name, shape] of sqliteShapes) {
    if (SQLITE_ONLY_TABLES.includes(name)) continue;
    it(`keeps ${name} column for column and index for index`, () => {
      const other = pgShapes.get(name);
      expect(other?.columns).toEqual(shape.columns);
      expect(other?.indexes).toEqual(shape.indexes);
    });
  }
});
