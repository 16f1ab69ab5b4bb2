// `npm run agent -- add --email E --name N --password P [--admin]`: adds an inbox agent from the shell.
import { parseArgs } from 'node:util';
import { newAgentBody } from '../../shared/protocol';
import { AgentExistsError, createAgent } from '../agents';
import { configFromEnv } from '../config';
import { openSqliteStorage } from '../storage/sqlite';

const usage = 'Usage: npm run agent -- add --email E --name N --password P [--admin]';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    admin: { type: 'boolean', default: false },
  },
});

if (positionals[0] !== 'add') {
  console.error(usage);
  process.exit(2);
}
const input = newAgentBody.safeParse(values);
if (!input.success) {
  console.error(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  console.error(usage);
  process.exit(2);
}

const { dbPath } = configFromEnv();
// A one-off write: no search indexing while it runs (the server catches up when it starts).
const opened = openSqliteStorage(dbPath, { indexSearch: false });
try {
  const agent = await createAgent(opened.storage, { ...input.data, role: values.admin ? 'admin' : 'agent' });
  console.log(`Added ${agent.role} ${agent.name} <${agent.email}> to ${dbPath}`);
} catch (err) {
  if (!(err instanceof AgentExistsError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await opened.close();
}
