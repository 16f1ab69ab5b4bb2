// "Show original": the whole of an inbound email for signed-in agents, as the text Parley read and as
// the source it kept, so stripping quotes or signatures never hides anything. Served as plain text or
// as a download, never as HTML or anything a browser would render or sniff.
import { Hono, type Context } from 'hono';
import type { ApiError } from '../../../shared/protocol';
import { idParam } from '../../http/validate';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';

/** Answered with the text when the source is kept too, so the inbox can offer its download. */
export const RAW_SOURCE_HEADER = 'X-Parley-Raw-Source';

const notFound = (c: Context) => c.json({ error: 'No email for this message' } satisfies ApiError, 404);

export function emailOriginalRoutes(storage: Storage): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();

  routes.get('/messages/:id/original', async (c) => {
    const id = idParam(c, 'id');
    const email = id === null ? null : await storage.email.inboundEmailOf(id);
    if (!email) return notFound(c);
    return c.body(email.originalText, 200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Cache-Control': 'private, no-store',
      [RAW_SOURCE_HEADER]: email.rawSourceId === null ? 'none' : 'kept',
    });
  });

  routes.get('/messages/:id/original/source', async (c) => {
    const id = idParam(c, 'id');
    const email = id === null ? null : await storage.email.inboundEmailOf(id);
    const bytes = email?.rawSourceId != null ? await storage.email.rawSourceBytes(email.rawSourceId) : null;
    if (!bytes) return notFound(c);
    // The raw door keeps RFC 822 bytes; the Resend door keeps Resend's JSON record, which no email starts like.
    const json = bytes[0] === 0x7b; // '{'
    return c.body(bytes, 200, {
      'Content-Type': json ? 'application/json' : 'message/rfc822',
      'Content-Disposition': `attachment; filename="email-${id}.${json ? 'json' : 'eml'}"`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Cache-Control': 'private, no-store',
    });
  });

  return routes;
}
