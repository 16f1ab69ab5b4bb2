// The HTTP surface: the demo site at /, the widget at /widget.js (its panel under /widget/), the inbox
// page at /inbox and its JSON API at /api. Built assets come from dist/ (made by `npm run build`).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { embedSnippet } from '../../shared/embedSnippet';
import type { ApiError } from '../../shared/protocol';
import type { TeamNews } from '../agents/team';
import type { Attachments } from '../attachments';
import type { Channels } from '../channels';
import type { ParleyConfig } from '../config';
import type { Conversations } from '../conversations';
import type { Viewers } from '../inbox/viewers';
import type { Notes } from '../notes';
import type { FanOut } from '../realtime/fanOut';
import type { Storage } from '../storage';
import type { WidgetSettingsService } from '../widgetSettings';
import { inboxApi } from '../inbox/api';
import { avatarRoutes } from '../inbox/routes/profile';
import { demoSiteFolder, distFolder } from '../paths';
import { widgetFiles } from './widgetFiles';
import type { Health } from './health';
import type { ServerOrigin } from './serverOrigin';

const dist = distFolder;
/** The demo page's prose names the default address; it is rewritten to the server's own. */
const DEMO_PAGE_ORIGIN = 'http://localhost:3000';
/** Where the demo page's snippet goes, on a line of its own. */
const SNIPPET_MARKER = /^( *)<!--parley-embed-snippet-->$/m;

export function createHttpApp(deps: {
  storage: Storage;
  conversations: Conversations;
  notes: Notes;
  attachments: Attachments;
  fanOut: FanOut;
  team: TeamNews;
  viewers: Viewers;
  channels: Channels;
  serverOrigin: ServerOrigin;
  health: Health;
  config: ParleyConfig;
  widgetSettings: WidgetSettingsService;
  /** The widget's uploads and downloads (channels/chat/uploads.ts): cross-origin, with their own headers. */
  widgetFiles: Hono;
}): Hono {
  const app = new Hono();

  app.onError((err, c) => {
    // Middleware refusals (cross-site request, oversized body) arrive as HTTPExceptions: keep their status.
    if (err instanceof HTTPException) {
      return c.json({ error: err.message || 'Request refused' } satisfies ApiError, err.status);
    }
    console.error('[parley] request failed:', err);
    return c.json({ error: 'Internal error' } satisfies ApiError, 500);
  });

  // For load balancers and systemd: before everything else, so no middleware stands in its way.
  deps.health.route(app);

  // The widget's launcher and panel, loaded by other sites: precompressed, cached, no frame restrictions.
  app.route('/', widgetFiles(dist));

  // The inbox and its API: strict headers, never framed, never cached.
  const inboxHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'https:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
  });
  app.use('/inbox/*', inboxHeaders);
  app.use('/inbox', inboxHeaders);
  // Agents' pictures are public and shown on other sites (the widget), and the widget uploads and
  // downloads its files from there: before the API's headers, which forbid caching and cross-origin
  // use, and the inbox's same-origin guard; these routes set their own.
  app.route('/api', avatarRoutes(deps.storage, deps.attachments.files));
  app.route('/api', deps.widgetFiles);
  app.use('/api/*', secureHeaders(), async (c, next) => {
    // Before next(), not after: a header set on a finished response makes Hono rebuild it as a
    // web stream, and every API answer (a 180 KB thread too) then went out chunk by chunk.
    c.header('Cache-Control', 'no-store');
    await next();
  });

  app.route('/api', inboxApi(deps));
  // Called by Resend, mail servers and Meta: each route checks its own signature or secret.
  app.route('/webhooks', deps.channels.webhooks);
  app.all('/webhooks/*', (c) => c.json({ error: 'No such webhook' } satisfies ApiError, 404));
  app.all('/api/*', (c) => c.json({ error: 'No such API route' } satisfies ApiError, 404));

  app.get('/inbox', serveStatic({ root: dist, path: 'inbox/index.html' }));
  app.get(
    '/inbox/assets/*',
    serveStatic({
      root: dist,
      onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  app.get('/inbox/*', serveStatic({ root: dist, path: 'inbox/index.html' }));

  // The demo page embeds the widget with the README's snippet, pointed at this server's own address
  // (PARLEY_PUBLIC_URL, else where it listens), never at the request's Host header.
  const demoPage = readFileSync(resolve(demoSiteFolder, 'index.html'), 'utf8');
  app.on('GET', ['/', '/index.html'], (c) => {
    const url = deps.serverOrigin.url;
    const page = demoPage.replace(SNIPPET_MARKER, (_line, indent: string) => indent + embedSnippet(url).replaceAll('\n', `\n${indent}`));
    return c.html(page.replaceAll(DEMO_PAGE_ORIGIN, url));
  });
  app.get('/*', serveStatic({ root: demoSiteFolder }));

  return app;
}
