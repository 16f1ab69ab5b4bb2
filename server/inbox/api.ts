// The JSON API under /api that the inbox page uses (documented in docs/api.md). Same-origin only:
// no CORS headers, an Origin check, and a CSRF token on every state-changing call. Each concern's
// routes live in routes/; this file only orders the guards around them.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_AVATAR_BYTES } from '../../shared/limits';
import type { TeamNews } from '../agents/team';
import type { Attachments } from '../attachments';
import { DEFAULT_UPLOAD_TYPES } from '../attachments/uploadTypes';
import type { Channels } from '../channels';
import type { ParleyConfig } from '../config';
import type { Conversations } from '../conversations';
import type { Notes } from '../notes';
import { refuseOtherOrigins, type ServerOrigin } from '../http/serverOrigin';
import type { FanOut } from '../realtime/fanOut';
import type { Storage } from '../storage';
import type { WidgetSettingsService } from '../widgetSettings';
import type { Viewers } from './viewers';
import { requireAgent, type InboxEnv } from './auth';
import { agentRoutes } from './routes/agents';
import { attachmentRoutes } from './routes/attachments';
import { conversationRoutes } from './routes/conversations';
import { emailOriginalRoutes } from './routes/emailOriginals';
import { noteRoutes } from './routes/notes';
import { outboxRoutes } from './routes/outbox';
import { AVATAR_UPLOAD_PATH, profileRoutes } from './routes/profile';
import { AGENT_UPLOAD_PATH, uploadRoutes } from './routes/uploads';
import { savedResponseRoutes } from './routes/savedResponses';
import { searchRoutes } from './routes/search';
import { sessionRoutes } from './routes/session';
import { teamRoutes } from './routes/team';
import { widgetSettingsRoutes } from './routes/widgetSettings';
import { SignInThrottle } from './signInThrottle';

const API_BODY_LIMIT_BYTES = 64 * 1024;

export function inboxApi(deps: {
  storage: Storage;
  conversations: Conversations;
  notes: Notes;
  attachments: Attachments;
  fanOut: FanOut;
  team: TeamNews;
  viewers: Viewers;
  channels: Channels;
  serverOrigin: ServerOrigin;
  config: ParleyConfig;
  widgetSettings: WidgetSettingsService;
}): Hono<InboxEnv> {
  const { storage, conversations, fanOut, viewers, channels, config } = deps;
  const api = new Hono<InboxEnv>();

  // Hono's csrf() checks only form posts; this refuses every cross-origin change, JSON included.
  api.use(refuseOtherOrigins(deps.serverOrigin));
  const limitBody = bodyLimit({ maxSize: API_BODY_LIMIT_BYTES, onError: (c) => c.json({ error: 'Body too large' }, 413) });
  // An avatar upload's body is the picture itself.
  const limitAvatar = bodyLimit({ maxSize: MAX_AVATAR_BYTES, onError: (c) => c.json({ error: 'Use an image of at most 1 MB' }, 413) });
  // A file for a reply: the route reads it bounded by the per-file cap and says so in words.
  const noLimit: MiddlewareHandler = (_c, next) => next();
  // Reads have no body to limit, and asking for one makes the Node adapter build a full web Request
  // (a tenth of a millisecond on every conversation load and list page).
  api.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return (c.req.path === AVATAR_UPLOAD_PATH ? limitAvatar : c.req.path === AGENT_UPLOAD_PATH ? noLimit : limitBody)(c, next);
  });

  // Signed out: session and setup only.
  const signIns = new SignInThrottle({ now: config.now ?? Date.now });
  api.route(
    '/',
    sessionRoutes({
      storage,
      fanOut,
      channels: () => conversations.channelSupport(),
      signIns,
      trustProxy: config.trustProxy,
      publicUrlIsHttps: config.publicUrl?.startsWith('https:') ?? false,
    }),
  );

  // Everything else needs a signed-in agent (and its CSRF token for changes).
  const signedIn = new Hono<InboxEnv>();
  signedIn.use('*', requireAgent(storage));
  signedIn.route('/', conversationRoutes(conversations, viewers, storage));
  signedIn.route('/', noteRoutes(deps.notes));
  signedIn.route('/', teamRoutes(deps.team));
  signedIn.route('/', savedResponseRoutes(storage));
  signedIn.route('/', searchRoutes(storage, conversations));
  // Whatever an admin changes about agents (added, deactivated, renamed…) is news for the whole team.
  const announceTeam: MiddlewareHandler<InboxEnv> = async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.res.ok) deps.team.changed();
  };
  signedIn.use('/agents', announceTeam);
  signedIn.use('/agents/*', announceTeam);
  signedIn.route('/', agentRoutes(storage, fanOut));
  signedIn.route('/', profileRoutes({ storage, fanOut, team: deps.team, files: deps.attachments.files }));
  signedIn.route('/', outboxRoutes(channels.email));
  signedIn.route('/', emailOriginalRoutes(storage));
  signedIn.route('/', attachmentRoutes(storage, deps.attachments));
  signedIn.route('/', uploadRoutes(deps.attachments, config.uploadTypes ?? DEFAULT_UPLOAD_TYPES));
  signedIn.route('/', widgetSettingsRoutes(deps.widgetSettings));
  api.route('/', signedIn);

  return api;
}
