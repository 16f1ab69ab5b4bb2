// POST /api/uploads?name=: a file an agent attaches to their next reply (the body is the file). It is
// kept and recorded unlinked; the reply names it by id and links it in its own transaction. The same
// type allowlist and magic-byte check as the widget's uploads (attachments/uploadTypes.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiError, UploadedFile } from '../../../shared/protocol';
import type { Attachments } from '../../attachments';
import { safeName } from '../../attachments/contentTypes';
import { sizeInWords } from '../../attachments/remoteFile';
import { checkUpload } from '../../attachments/uploadTypes';
import { readBounded } from '../../http/boundedBody';
import { queryParams } from '../../http/validate';
import type { InboxEnv } from '../auth';

/** api.ts lets this path's body be as large as one file may be. */
export const AGENT_UPLOAD_PATH = '/api/uploads';

const uploadQuery = z.object({ name: z.string().min(1).max(500) });

export function uploadRoutes(attachments: Attachments, uploadTypes: readonly string[]): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();
  const maxBytes = attachments.limits.maxFileBytes;
  routes.post(AGENT_UPLOAD_PATH.slice('/api'.length), async (c) => {
    const query = queryParams(c, uploadQuery);
    if (!query.ok) return query.response;
    const tooBig = () => c.json({ error: `That file is too big: the limit is ${sizeInWords(maxBytes)}` } satisfies ApiError, 413);
    const declaredLength = Number(c.req.header('content-length') ?? 0);
    if (declaredLength > maxBytes) return tooBig();
    const bytes = await readBounded(c.req.raw.body, maxBytes, declaredLength);
    if (!bytes) return tooBig();
    if (bytes.byteLength === 0) return c.json({ error: 'That file is empty' } satisfies ApiError, 400);
    const name = safeName(query.value.name, 'file');
    const verdict = checkUpload(bytes, c.req.header('content-type'), name, uploadTypes);
    if (!verdict.ok) return c.json({ error: verdict.error } satisfies ApiError, 415);
    const prepared = await attachments.keep([{ name, mimeType: verdict.mimeType, bytes }]);
    const { attachments: [attachment], ids: [id] } = await attachments.record(prepared);
    return c.json({ id: id!, attachment: attachment! } satisfies UploadedFile, 201);
  });
  return routes;
}
