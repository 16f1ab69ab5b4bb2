// Assembles one running Parley: database, conversation service, HTTP app and sockets on one port.
// Used by `npm start` (server/main.ts), by the tests and by the bench, so all run the same thing.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { agentCount, createAgent } from './agents';
import { startChannels } from './channels';
import type { ParleyConfig } from './config';
import { createConversations } from './conversations';
import { openDatabase, type Database } from './db';
import { createHttpApp } from './http/app';
import { Viewers } from './inbox/viewers';
import { Hub } from './realtime/hub';
import { SearchIndexer } from './search/indexer';
import { attachSockets } from './realtime/sockets';

export interface RunningParley {
  url: string;
  port: number;
  database: Database;
  hub: Hub;
  close(): Promise<void>;
}

export async function startParley(config: ParleyConfig): Promise<RunningParley> {
  const database = openDatabase(config.dbPath);
  const { db } = database;
  if (config.admin && agentCount(db) === 0) {
    await createAgent(db, { ...config.admin, role: 'admin' });
  }

  const now = config.now ?? Date.now;
  const hub = new Hub(config.agentsGoneGraceMs);
  const conversations = createConversations(db, hub);
  const channels = startChannels({ db, conversations, config, now });
  const searchIndexer = new SearchIndexer(db, config.dbPath);
  const viewers = new Viewers(hub, (conversationId, agentName) => conversations.agentTyping(conversationId, agentName));
  const app = createHttpApp({ db, conversations, hub, viewers, searchIndexer, channels });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const sockets = attachSockets(server, {
    db,
    hub,
    conversations,
    viewers,
    allowedOrigins: config.allowedOrigins,
    heartbeatMs: config.heartbeatMs,
    askEmailAfterMs: config.email.promptDelayMs,
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;

  return {
    url: `http://${host}:${port}`,
    port,
    database,
    hub,
    async close() {
      await sockets.close();
      await channels.stop();
      conversations.stop();
      await searchIndexer.stop();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await database.close();
    },
  };
}
