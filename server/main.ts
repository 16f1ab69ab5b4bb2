// `npm start`: read the environment, start Parley, print where everything is, stop cleanly on signals.
import { startParley } from './app';
import { configFromEnv } from './config';

const config = configFromEnv();
const parley = await startParley(config);

console.log(`Parley is running (database: ${config.dbPath})
  Demo site:  ${parley.url}/
  Widget:     ${parley.url}/widget.js
  Inbox:      ${parley.url}/inbox`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void parley.close().then(() => process.exit(0));
  });
}
