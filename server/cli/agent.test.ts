// `npm run agent -- add …` run as a real process on a real database file, then used to sign in.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentSession, startTestParley, type TestParley } from '../testing';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.destroy();
  parley = undefined;
});

function addAgent(dbPath: string, args: string[]) {
  return run(tsx, ['server/cli/agent.ts', 'add', ...args], { cwd: root, env: { ...process.env, PARLEY_DB: dbPath } });
}

describe('npm run agent -- add', () => {
  it('adds an agent who can then sign in to the inbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const dbPath = join(dir, 'parley.db');
    const { stdout } = await addAgent(dbPath, ['--email', 'Lin@Example.com', '--name', 'Lin', '--password', 'a long password']);
    expect(stdout).toContain('Added agent Lin <lin@example.com>');

    parley = await startTestParley({ admin: null }, dir);
    const session = await AgentSession.signIn(parley, { email: 'lin@example.com', password: 'a long password', name: 'Lin' });
    expect((await session.request('/api/conversations')).status).toBe(200);
  });

  it('explains a missing or weak field and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const failure = await addAgent(join(dir, 'parley.db'), ['--email', 'lin@example.com', '--name', 'Lin', '--password', 'short']).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('--password: Use at least 8 characters');
  });

  it('refuses a second agent with the same email', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const dbPath = join(dir, 'parley.db');
    await addAgent(dbPath, ['--email', 'lin@example.com', '--name', 'Lin', '--password', 'a long password']);
    const again = await addAgent(dbPath, ['--email', 'LIN@example.com', '--name', 'Lin 2', '--password', 'another password']).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(again).toMatchObject({ code: 1 });
    expect((again as { stderr: string }).stderr).toContain('already exists');
  });

  it('prints its usage for --help and exits 0', async () => {
    const { stdout } = await run(tsx, ['server/cli/agent.ts', '--help'], { cwd: root });
    expect(stdout).toContain('Usage: npm run agent -- add --email E --name N --password P [--admin]');
    expect(stdout).toContain('--help');
  });

  it('answers an unknown option with the usage on stderr and exit code 2, not a stack trace', async () => {
    const failure = await run(tsx, ['server/cli/agent.ts', 'add', '--emial', 'lin@example.com'], { cwd: root }).catch(
      (err: { code: number; stderr: string; stdout: string }) => err,
    );
    expect(failure).toMatchObject({ code: 2 });
    const { stderr } = failure as { stderr: string };
    expect(stderr).toContain("Unknown option '--emial'");
    expect(stderr).toContain('Usage: npm run agent');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
