// `npm run agent -- add --email E --name N --password P [--admin]`: adds an inbox agent from the shell.
import { parseArgs } from 'node:util';
import { newAgentBody } from '../../shared/protocol';
import { AgentExistsError, createAgent } from '../agents';
import { configFromEnv } from '../config';
import { openSqliteStorage } from '../storage/sqlite';

const usage = `Usage: npm run agent -- add --email E --name N --password P [--admin]

Adds an agent who can sign in to the inbox (PARLEY_DB names the database file).

Options:
  --email E       their sign-in email
  --name N        the name customers and colleagues see
  --password P    at least 8 characters; share it with them privately
  --admin         make them an admin (manages agents and settings)
  -h, --help      show this help`;

/** Usage on stderr and exit 2: the shell convention for "called wrongly" (a stack trace helped nobody). */
function wrongUse(problem: string): never {
  console.error(`${problem}\n\n${usage}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      admin: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  // parseArgs throws on an unknown option or a missing value, with a message worth showing.
  wrongUse(err instanceof Error ? err.message : String(err));
}
const { positionals, values } = parsed;

if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (positionals[0] !== 'add' || positionals.length > 1) wrongUse(positionals.length ? `Unknown command: ${positionals.join(' ')}` : 'No command given');
const { help: _help, admin, ...fields } = values;
const input = newAgentBody.safeParse(fields);
if (!input.success) {
  wrongUse(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
}

const { dbPath } = configFromEnv();
// A one-off write: no search indexing while it runs (the server catches up when it starts).
const opened = openSqliteStorage(dbPath, { indexSearch: false });
try {
  const agent = await createAgent(opened.storage, { ...input.data, role: admin ? 'admin' : 'agent' });
  console.log(`Added ${agent.role} ${agent.name} <${agent.email}> to ${dbPath}`);
} catch (err) {
  if (!(err instanceof AgentExistsError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await opened.close();
}
