// The widget's files over HTTP (not the socket, whose frames are capped at 64 KB): a visitor's upload
// becomes a chat message with the file attached, stored once per clientId like any message, and a
// visitor downloads only files of their own conversation. Cross-origin by design (the widget runs
// on the customer's site), so the Origin allow-list of the visitor socket applies here too.
import { Hono, type Context } from 'hono';
import { WIDGET_ATTACHMENTS_PATH, WIDGET_UPLOAD_PATH } from '../../../shared/limits';
import { widgetUploadQuery, type ApiError, type WidgetUploadResult } from '../../../shared/protocol';
import { serveKeptFile, type Attachments } from '../../attachments';
import { safeName } from '../../attachments/contentTypes';
import { sizeInWords } from '../../attachments/remoteFile';
import { checkUpload } from '../../attachments/uploadTypes';
import type { Conversations } from '../../conversations';
import { readBounded } from '../../http/boundedBody';
import { clientAddressOf } from '../../http/clientAddress';
import { idParam, queryParams } from '../../http/validate';
import type { Storage } from '../../storage';
import type { NewVisitors } from './newVisitors';
import type { VisitorRateLimits } from './visitorLimits';

export interface WidgetFileDeps {
  storage: Storage;
  conversations: Conversations;
  attachments: Attachments;
  /** Shared with the visitor socket: an upload and a socket message may claim the same new visitor. */
  newVisitors: NewVisitors;
  rateLimits: VisitorRateLimits;
  /** null = any site may embed the widget. */
  allowedOrigins: () => string[] | null;
  trustProxy: number;
  /** PARLEY_UPLOAD_TYPES. */
  uploadTypes: readonly string[];
}

const CLAIM = /^[A-Za-z0-9_-]{22,128}$/;
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Parley-Claim';

const bearer = (c: Context): string | null => {
  const match = /^Bearer ([A-Za-z0-9_.~+/=-]{1,200})$/.exec(c.req.header('authorization') ?? '');
  return match ? match[1]! : null;
};

export function widgetFileRoutes(deps: WidgetFileDeps): Hono {
  const { storage, conversations, attachments, newVisitors, rateLimits } = deps;
  const routes = new Hono();
  const maxBytes = attachments.limits.maxFileBytes;

  // CORS for the embedding sites only: the answer names the one origin it is for.
  routes.use('/widget/*', async (c, next) => {
    const origin = c.req.header('origin') ?? '';
    const allowed = deps.allowedOrigins();
    if (allowed && !allowed.includes(origin)) return c.json({ error: 'This site may not use the widget' } satisfies ApiError, 403);
    c.header('Vary', 'Origin');
    if (origin) c.header('Access-Control-Allow-Origin', origin);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST');
      c.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  });

  routes.post(WIDGET_UPLOAD_PATH.slice('/api'.length), async (c) => {
    const query = queryParams(c, widgetUploadQuery);
    if (!query.ok) return query.response;
    const { clientId } = query.value;
    const address = clientAddressOf(c, deps.trustProxy);
    const token = bearer(c);
    const known = token ? await storage.conversations.findVisitorByToken(token) : null;
    if (token && !known) return c.json({ error: 'Unknown visitor' } satisfies ApiError, 401);

    const tooMany = (waitMs: number) => {
      c.header('Retry-After', String(Math.ceil(waitMs / 1000)));
      return c.json({ error: `Too many files at once; try again in ${Math.ceil(waitMs / 1000)} s` } satisfies ApiError, 429);
    };
    const declaredLength = Number(c.req.header('content-length') ?? 0);
    const tooBig = () => c.json({ error: `That file is too big: the limit is ${sizeInWords(maxBytes)}` } satisfies ApiError, 413);
    if (declaredLength > maxBytes) return tooBig();
    const uploadWait = rateLimits.uploads.take(address);
    if (uploadWait) return tooMany(uploadWait);

    const bytes = await readBounded(c.req.raw.body, maxBytes, declaredLength);
    if (!bytes) return tooBig();
    if (bytes.byteLength === 0) return c.json({ error: 'That file is empty' } satisfies ApiError, 400);
    const name = safeName(query.value.name, 'file');
    const verdict = checkUpload(bytes, c.req.header('content-type'), name, deps.uploadTypes);
    if (!verdict.ok) return c.json({ error: verdict.error } satisfies ApiError, 415);

    // Nothing before the first message: a visitor is created only now, together with this one.
    const claim = c.req.header('x-parley-claim');
    const claimSecret = !known && claim && CLAIM.test(claim) ? claim : null;
    let newWait = 0;
    const visitor: { visitorId: number; token: string | null } | null = known
      ? { visitorId: known.id, token: null }
      : await newVisitors.claimOrCreate(claimSecret, async () => {
          newWait = rateLimits.newVisitors.take(address);
          if (newWait) return null;
          const created = await storage.conversations.createVisitor();
          return { visitorId: created.visitor.id, token: created.token };
        });
    if (!visitor) return tooMany(newWait || 1000);
    const messageWait = rateLimits.messages.take(visitor.visitorId);
    if (messageWait) return tooMany(messageWait);

    const prepared = await attachments.keep([{ name, mimeType: verdict.mimeType, bytes }]);
    const { message } = await conversations.storeChatMessage({
      visitorId: visitor.visitorId,
      clientId,
      body: '',
      files: (tx) => attachments.record(prepared, tx),
    });
    const result: WidgetUploadResult = visitor.token ? { message, token: visitor.token } : { message };
    return c.json(result);
  });

  routes.get(`${WIDGET_ATTACHMENTS_PATH.slice('/api'.length)}:id`, async (c) => {
    const id = idParam(c, 'id');
    const token = bearer(c);
    const visitor = token ? await storage.conversations.findVisitorByToken(token) : null;
    if (!visitor) return c.json({ error: 'Unknown visitor' } satisfies ApiError, 401);
    const row = id === null ? null : await storage.attachments.byId(id);
    const message = row?.messageId ? await storage.conversations.messageById(row.messageId) : null;
    const conversation = message ? await storage.conversations.conversationById(message.conversationId) : null;
    // Another visitor's file, or mail from another address (agents only), is no different from none.
    if (!row || !message || message.otherSender || conversation?.visitorId !== visitor.id || !(await attachments.files.has(row.sha256))) {
      return c.json({ error: 'No such attachment' } satisfies ApiError, 404);
    }
    return serveKeptFile(c, attachments.files, row);
  });

  return routes;
}
