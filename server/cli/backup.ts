// `npm run backup -- --out FILE [--force]`: a consistent copy of the live database (PARLEY_DB) while
// Parley runs, through SQLite's online backup API on a connection of its own that only reads, then the
// kept files (attachments/ beside it) into FILE.attachments/. The search index is not copied: Parley
// rebuilds it after a restore.
import { cpSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { configFromEnv } from '../config';

const usage = 'Usage: npm run backup -- --out FILE [--force]   (copies PARLEY_DB and its attachments; --force overwrites FILE)';

let values: { out?: string; force?: boolean };
try {
  ({ values } = parseArgs({ options: { out: { type: 'string' }, force: { type: 'boolean', default: false } } }));
} catch (err) {
  console.error((err as Error).message);
  console.error(usage);
  process.exit(2);
}
if (!values.out) {
  console.error(usage);
  process.exit(2);
}
const out = values.out;
const { dbPath } = configFromEnv();
if (!existsSync(dbPath)) {
  console.error(`No database at ${dbPath} (PARLEY_DB): nothing to back up`);
  process.exit(1);
}
if (existsSync(out) && !values.force) {
  console.error(`${out} already exists; pass --force to overwrite it`);
  process.exit(1);
}

const started = Date.now();
// Written beside FILE first and renamed at the end: an interrupted backup never leaves a FILE that
// looks complete.
const partial = `${out}.partial`;
rmSync(partial, { force: true });
// Read-write although it only reads: when Parley is stopped, a read-only connection would leave
// behind the -wal and -shm files that opening creates; this one removes them as it closes.
const live = new BetterSqlite3(dbPath, { fileMustExist: true });
live.pragma('busy_timeout = 5000');
try {
  // All pages in one step: the copy is of one snapshot. In smaller steps, each commit Parley made
  // meanwhile would restart the copy, and under steady chat traffic it might never finish. With WAL
  // the snapshot's read blocks no writer.
  await live.backup(partial, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
} finally {
  live.close();
}
const copy = new BetterSqlite3(partial);
const check = copy.pragma('quick_check', { simple: true });
const messages = copy.prepare('select count(*) from messages').pluck().get() as number;
copy.close();
if (check !== 'ok') {
  console.error(`The copy failed SQLite's quick_check (${String(check)}); ${partial} is left for inspection`);
  process.exit(1);
}
renameSync(partial, out);

// After the snapshot: a file is on disk before the message naming it commits, and files are named by
// their SHA-256 and never change, so every file the copy names exists now and is copied whole. Files
// already in FILE.attachments/ (an earlier backup to the same FILE) are skipped.
const filesFrom = join(dirname(dbPath), 'attachments');
const filesTo = `${out}.attachments`;
let files = 0;
if (existsSync(filesFrom)) {
  cpSync(filesFrom, filesTo, {
    recursive: true,
    force: false,
    errorOnExist: false,
    // Half-written downloads live in tmp/; they belong to no message.
    filter: (source) => {
      if (source === join(filesFrom, 'tmp')) return false;
      if (statSync(source).isFile()) files++;
      return true;
    },
  });
}
const megabytes = (statSync(out).size / 1024 / 1024).toFixed(1);
console.log(
  `Backed up ${dbPath} to ${out}: ${messages} messages, ${megabytes} MB, ${files} attachment files in ${filesTo}, in ${Date.now() - started} ms`,
);
