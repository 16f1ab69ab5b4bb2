// `npm run backup` run as a real process against a Parley that is running and taking messages, then
// the restore the README describes: stop, copy the backup into place, start, and the history is back.
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationDetail, SearchResult } from '../../shared/protocol';
import { INBOUND_SECRET_HEADER } from '../channels/email/webhooks';
import { defaultEmailConfig, defaultVisitorLimits } from '../config';
import { AgentSession, connectVisitor, startTestParley, waitUntil, type TestParley } from '../testing';

const run = promisify(execFile);
/** A real email with one image attached (server/testing/corpus/attachments/SOURCES.md). */
const ATTACHED_IMAGE_EMAIL = 'gif-attachment.eml';
const root = resolve(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

let dirs: string[] = [];
let running: TestParley[] = [];
afterEach(async () => {
  await Promise.all(running.map((parley) => parley.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
  running = [];
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-backup-'));
  dirs.push(dir);
  return dir;
}

/** One visitor writing steadily: far past the per-visitor message limits, which are not under test here. */
const steadyWriter = { limits: { ...defaultVisitorLimits, messageBurst: 0, messagesPerMinute: 0 } };

function backup(dbPath: string, args: string[]) {
  return run(tsx, ['server/cli/backup.ts', ...args], { cwd: root, env: { ...process.env, PARLEY_DB: dbPath } }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

describe('npm run backup', () => {
  it('copies the live database while visitors write, and a restore from it brings back every message stored before it began', async () => {
    const live = await startTestParley(steadyWriter, folder());
    running.push(live);
    // A long read elsewhere (a report, an sqlite3 shell) keeps the checkpointer from folding newer
    // messages into the database file: they exist only in the WAL, which a file copy would miss.
    const reader = new BetterSqlite3(live.dbPath, { readonly: true });
    reader.prepare('begin').run();
    reader.prepare('select count(*) from messages').get();
    const { client, welcome } = await connectVisitor(live);
    expect(welcome.known).toBe(false);
    client.send({ type: 'send', clientId: 'message-000', body: 'Do you ship the kettle to Oslo?' });
    const { token } = await client.next('identity');
    await client.next('ack');
    for (let n = 1; n < 50; n++) {
      client.send({ type: 'send', clientId: `message-${String(n).padStart(3, '0')}`, body: `message ${n}` });
      await client.next('ack');
    }
    const storedBeforeBackup = ['Do you ship the kettle to Oslo?', ...Array.from({ length: 49 }, (_, n) => `message ${n + 1}`)];

    // The visitor keeps writing while the backup runs.
    let n = 50;
    const writing = setInterval(() => client.send({ type: 'send', clientId: `message-${n}`, body: `message ${n++}` }), 5);
    const backupFile = join(folder(), 'parley-backup.db');
    const result = await backup(live.dbPath, ['--out', backupFile]);
    clearInterval(writing);
    reader.prepare('rollback').run();
    reader.close();
    expect(result.stdout).toMatch(/^Backed up .* to .*parley-backup\.db: \d+ messages/);
    client.close();
    await live.close();
    running = [];

    // Restore into a fresh place, as the README says: the backup becomes the database, nothing else.
    const restoredDir = folder();
    copyFileSync(backupFile, join(restoredDir, 'parley.db'));
    const restored = await startTestParley(steadyWriter, restoredDir);
    running.push(restored);

    const again = await connectVisitor(restored, { token });
    // Everything acknowledged before the backup began, then some of what came during it, in order.
    const history = again.welcome.history.map((m) => m.body);
    const sent = [...storedBeforeBackup, ...Array.from({ length: n - 50 }, (_, i) => `message ${i + 50}`)];
    expect(history.length).toBeGreaterThanOrEqual(storedBeforeBackup.length);
    expect(history).toEqual(sent.slice(0, history.length));
    again.client.close();

    // The search index is not in the backup; the restored server rebuilds it from the messages.
    const agent = await AgentSession.signIn(restored);
    const hits = await waitUntil(
      async () => ((await (await agent.request('/api/search?q=Oslo')).json()) as { results: SearchResult[] }).results,
      (results) => results.length > 0,
    );
    expect(hits[0]?.snippet).toContain('Oslo');
  });

  it('copies the kept attachment files too, and a restore that puts them back serves them', async () => {
    const inboundSecret = 'inbound-secret-for-tests-0123456789';
    const live = await startTestParley({ email: { ...defaultEmailConfig, inboundSecret } }, folder());
    running.push(live);
    const raw = readFileSync(resolve(root, 'server/testing/corpus/attachments', ATTACHED_IMAGE_EMAIL));
    const res = await fetch(`${live.url}/webhooks/email/raw`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', [INBOUND_SECRET_HEADER]: inboundSecret },
      body: raw,
    });
    expect(res.status).toBe(200);
    const { conversationId } = (await res.json()) as { conversationId: number };
    const agent = await AgentSession.signIn(live);
    const thread = (await (await agent.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail;
    const file = thread.messages.at(-1)!.attachments!.find((a) => a.url)!;
    const before = Buffer.from(await (await agent.request(file.url!)).arrayBuffer());

    const backupFile = join(folder(), 'parley-backup.db');
    const result = await backup(live.dbPath, ['--out', backupFile]);
    expect(result.stdout).toMatch(/\d+ attachment files in .*parley-backup\.db\.attachments/);
    await live.close();
    running = [];

    // The README's restore: the database file, and the attachments folder beside it.
    const restoredDir = folder();
    copyFileSync(backupFile, join(restoredDir, 'parley.db'));
    cpSync(`${backupFile}.attachments`, join(restoredDir, 'attachments'), { recursive: true });
    const restored = await startTestParley({}, restoredDir);
    running.push(restored);
    const again = await AgentSession.signIn(restored);
    const after = await again.request(file.url!);
    expect(after.status).toBe(200);
    expect(Buffer.from(await after.arrayBuffer()).equals(before)).toBe(true);
  });

  it('refuses to overwrite a file unless told to, and explains its arguments', async () => {
    const dir = folder();
    const parley = await startTestParley({}, dir);
    running.push(parley);
    const existing = join(dir, 'existing.db');
    writeFileSync(existing, 'yesterday’s backup');

    const refused = await backup(parley.dbPath, ['--out', existing]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exists; pass --force');
    expect((await backup(parley.dbPath, ['--out', existing, '--force'])).code).toBe(0);

    for (const args of [[], ['--bogus', 'x']]) {
      const bad = await backup(parley.dbPath, args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toContain('Usage: npm run backup -- --out FILE');
    }
  });
});
