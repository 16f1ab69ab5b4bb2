// `npm start`: read the environment, start Parley, print where everything is, stop cleanly on signals
// (within SHUTDOWN_DEADLINE_MS, whatever hangs).
import { startParley } from './app';
import { configFromEnv } from './config';

const config = configFromEnv();
const parley = await startParley(config);

/** Where the data is, for the operator: the SQLite file, or PostgreSQL's host and database (never the password). */
function databaseLabel(): string {
  if (!config.databaseUrl) return config.dbPath;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname}, news through Redis`;
}

console.log(`Parley is running (database: ${databaseLabel()})
  Demo site:  ${parley.url}/
  Widget:     ${parley.url}/widget.js
  Inbox:      ${parley.url}/inbox`);

/** systemd and container runtimes send SIGKILL some seconds after SIGTERM: be done well before. */
const SHUTDOWN_DEADLINE_MS = 5_000;

// SIGTERM: stop accepting, commit what visitors sent, close sockets with "restarting" (1012), stop
// the workers, fold the WAL into the database file (app.ts has the order). A second signal while
// that runs is the default action again: exit at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    const started = Date.now();
    console.log(`[parley] ${signal}: stopping`);
    setTimeout(() => {
      console.error(`[parley] still stopping after ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway (the WAL is folded in at the next start)`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    parley.close().then(
      () => {
        console.log(`[parley] stopped in ${Date.now() - started} ms`);
        process.exit(0);
      },
      (err: unknown) => {
        console.error('[parley] stopping failed:', err);
        process.exit(1);
      },
    );
  });
}
