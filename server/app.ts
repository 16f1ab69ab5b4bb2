// Assembles one running Parley: storage (the SQLite file, or PostgreSQL), fan-out (in memory, or
// through Redis to the other processes), conversation service, HTTP app and sockets on one port.
// Used by `npm start` (server/main.ts), by the tests and by the bench, so all run the same thing.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { createFirstAdmin } from './agents';
import { TeamNews } from './agents/team';
import { createAttachments, DEFAULT_ATTACHMENT_LIMITS } from './attachments';
import { DEFAULT_UPLOAD_TYPES } from './attachments/uploadTypes';
import { startChannels } from './channels';
import { NewVisitors } from './channels/chat/newVisitors';
import { widgetFileRoutes } from './channels/chat/uploads';
import { visitorRateLimits } from './channels/chat/visitorLimits';
import type { ParleyConfig } from './config';
import { createConversations } from './conversations';
import { createNotes } from './notes';
import type { Database } from './db';
import type { OpenStorage } from './storage';
import { openSqliteStorage } from './storage/sqlite';
import type { FanOut } from './realtime/fanOut';
import { createHttpApp } from './http/app';
import { Health } from './http/health';
import { ServerOrigin } from './http/serverOrigin';
import { Viewers } from './inbox/viewers';
import { Hub } from './realtime/hub';
import { attachSockets, type AttachedSockets } from './http/upgrades';
import { createWidgetSettings } from './widgetSettings';

/**
 * How long a closing socket may take to answer our close frame before it is dropped. Part of
 * SIGTERM's 5 s budget (server/main.ts); a widget answers at once, a dead peer never does.
 */
const SOCKET_CLOSE_GRACE_MS = 1_000;

export interface RunningParley {
  url: string;
  port: number;
  /** The SQLite file's connection, for tests and tools that read rows themselves (throws on PostgreSQL). */
  database: Database;
  hub: Hub;
  close(): Promise<void>;
}

/**
 * The fan-out across processes, started, and the new-visitor claims they share. ioredis and the
 * cluster's modules load only for a cluster, as PostgreSQL's do.
 */
async function startCluster(hub: Hub, redisUrl: string, onResync: (reason: string) => void) {
  const [{ ClusterFanOut }, { redisClaims }] = await Promise.all([
    import('./realtime/cluster/clusterFanOut'),
    import('./realtime/cluster/sharedClaims'),
  ]);
  const fanOut = new ClusterFanOut(hub, { redisUrl, onResync });
  await fanOut.start();
  return { fanOut, claims: redisClaims(fanOut.redis) };
}

/** PostgreSQL when PARLEY_DATABASE_URL is set (migrated once across processes), else the SQLite file. */
async function openStorage(config: ParleyConfig): Promise<OpenStorage & { database: Database | null }> {
  // Loaded only when used: node-postgres and drizzle's pg-core cost an embedded server ~0.3 s at start.
  if (config.databaseUrl) {
    const { openPostgresStorage } = await import('./storage/pg');
    return { ...(await openPostgresStorage(config.databaseUrl)), database: null };
  }
  return openSqliteStorage(config.dbPath);
}

export async function startParley(config: ParleyConfig): Promise<RunningParley> {
  const opened = await openStorage(config);
  const { storage, database } = opened;
  // Several processes may start on one database: only one of them creates the admin.
  if (config.admin && (await storage.agents.count()) === 0) await createFirstAdmin(storage, config.admin);

  const now = config.now ?? Date.now;
  // In a cluster the cluster fan-out tells visitors when agents come and go (it sees every process).
  const hub = new Hub(config.agentsGoneGraceMs, !config.redisUrl);
  let sockets: AttachedSockets | undefined;
  const cluster = config.redisUrl
    ? await startCluster(hub, config.redisUrl, (reason) => {
        // News may have been lost: every client reconnects and catches up from the database.
        console.warn(`[parley] cluster bus: ${reason}; reconnecting every client so each catches up`);
        sockets?.reconnectAll('Parley is catching up');
      })
    : null;
  const fanOut: FanOut = cluster?.fanOut ?? hub;
  const conversations = createConversations(storage, fanOut);
  const widgetSettings = await createWidgetSettings({
    storage,
    fanOut,
    envAllowedOrigins: config.allowedOrigins,
    defaultEmailPromptDelayMs: config.email.promptDelayMs,
    now,
  });
  // Beside the database file: a backup of the data folder takes both.
  const attachments = createAttachments({
    storage,
    folder: join(dirname(config.dbPath), 'attachments'),
    limits: config.attachments ?? DEFAULT_ATTACHMENT_LIMITS,
  });
  const channels = startChannels({ storage, conversations, attachments, config, now });
  const serverOrigin = new ServerOrigin(config.publicUrl, config.host);
  const health = new Health(storage, opened.workers);
  const team = new TeamNews(storage, fanOut, () => serverOrigin.url);
  const viewers = new Viewers(fanOut, (conversationId, agentName) => {
    conversations.agentTyping(conversationId, agentName).catch((err: unknown) => console.error('[parley] typing:', err));
  });
  const notes = createNotes(storage, fanOut);
  // One set for the visitor socket and the widget's uploads: a file is a message like any other.
  // In a cluster a widget may resend its first message to another process: the claim is shared.
  const newVisitors = new NewVisitors(undefined, undefined, cluster?.claims ?? null);
  const rateLimits = visitorRateLimits(config.limits, now);
  const widgetFiles = widgetFileRoutes({
    storage,
    conversations,
    attachments,
    newVisitors,
    rateLimits,
    allowedOrigins: () => widgetSettings.allowedOrigins(),
    trustProxy: config.trustProxy,
    uploadTypes: config.uploadTypes ?? DEFAULT_UPLOAD_TYPES,
  });
  const app = createHttpApp({
    storage,
    conversations,
    notes,
    attachments,
    fanOut,
    team,
    viewers,
    channels,
    serverOrigin,
    health,
    config,
    widgetSettings,
    widgetFiles,
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const attached = attachSockets(server, {
    storage,
    hub,
    fanOut,
    team,
    conversations,
    viewers,
    allowedOrigins: () => widgetSettings.allowedOrigins(),
    serverOrigin,
    heartbeatMs: config.heartbeatMs,
    widgetSettings,
    identitySecret: config.identitySecret,
    limits: config.limits,
    trustProxy: config.trustProxy,
    newVisitors,
    rateLimits,
  });
  sockets = attached;

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  serverOrigin.listening(port);

  return {
    url: serverOrigin.url,
    port,
    get database(): Database {
      if (!database) throw new Error('This Parley runs on PostgreSQL: there is no SQLite file');
      return database;
    },
    hub,
    async close() {
      // No new connections or upgrades from here; idle keep-alive connections go now.
      const serverClosed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      // What visitors already sent is committed, on disk and acknowledged while their sockets are open.
      await conversations.chatDrained();
      await attached.close(SOCKET_CLOSE_GRACE_MS);
      hub.stop();
      // The other processes drop this one's visitors and agents at once, not after its lease.
      await cluster?.fanOut.stop();
      // Frames that arrived while the sockets closed are stored too; their acks are lost with the
      // sockets, so the widget resends them after reconnecting and the clientId makes that an ack.
      await conversations.chatDrained();
      await channels.stop();
      await conversations.stop();
      widgetSettings.stop();
      server.closeAllConnections();
      await serverClosed;
      await opened.close();
    },
  };
}
