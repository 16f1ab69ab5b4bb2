// The agent's own Status, name and picture (the top bar's Status select, Settings → Profile), and the
// public picture route the widget loads from other sites. Every change is news for the whole team
// (agents/team.ts); a picture is served only as the image type its bytes show, never as anything that runs.
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { MAX_AVATAR_BYTES } from '../../../shared/limits';
import { availabilityBody, profileBody, type ApiError } from '../../../shared/protocol';
import { avatarImageType } from '../../agents/avatarImage';
import { avatarPath, withProfile, type TeamNews } from '../../agents/team';
import type { FileStore } from '../../attachments';
import { idParam, jsonBody } from '../../http/validate';
import type { FanOut } from '../../realtime/fanOut';
import type { Storage } from '../../storage';
import type { InboxEnv } from '../auth';

/** Where the inbox uploads a picture: its body is the image itself, so api.ts gives it a larger body limit. */
export const AVATAR_UPLOAD_PATH = '/api/session/avatar';

const AVATAR_TYPES = 'a PNG, JPEG, WebP or GIF image';

export function profileRoutes(deps: { storage: Storage; fanOut: FanOut; team: TeamNews; files: FileStore }): Hono<InboxEnv> {
  const { storage, fanOut, team, files } = deps;
  const routes = new Hono<InboxEnv>();

  routes.put('/session/availability', async (c) => {
    const input = await jsonBody(c, availabilityBody);
    if (!input.ok) return input.response;
    const { availability } = input.value;
    const agent = c.get('agent');
    await storage.agents.setAvailability(agent.id, availability);
    // Visitors and agents hear of it from the hub, if it changed who counts as online.
    fanOut.setAvailability(agent.id, availability === 'available');
    return c.json({ availability });
  });

  routes.put('/session/profile', async (c) => {
    const input = await jsonBody(c, profileBody);
    if (!input.ok) return input.response;
    const agent = c.get('agent');
    await storage.agents.setName(agent.id, input.value.name);
    team.changed();
    return c.json({ agent: await withProfile(storage, { ...agent, name: input.value.name }) });
  });

  // The body is the image (api.ts bounds it to MAX_AVATAR_BYTES); its first bytes decide what it is.
  routes.put('/session/avatar', async (c) => {
    const declared = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0) return c.json({ error: `Choose ${AVATAR_TYPES}` } satisfies ApiError, 400);
    if (bytes.byteLength > MAX_AVATAR_BYTES) return c.json({ error: 'Use an image of at most 1 MB' } satisfies ApiError, 413);
    const type = avatarImageType(bytes);
    if (!type || type !== declared) {
      return c.json({ error: `That file is not ${AVATAR_TYPES}` } satisfies ApiError, 415);
    }
    const stored = await files.put(bytes);
    const agent = c.get('agent');
    await storage.agents.setAvatar(agent.id, { sha256: stored.sha256, type });
    team.changed();
    return c.json({ avatarUrl: avatarPath(agent.id, { sha256: stored.sha256, type }) });
  });

  routes.delete('/session/avatar', async (c) => {
    await storage.agents.setAvatar(c.get('agent').id, null);
    team.changed();
    return c.body(null, 204);
  });

  return routes;
}

/**
 * GET /api/agents/:id/avatar, for anyone: the widget shows it on other sites. Mounted before the
 * API's own headers (which say no-store, same-origin), so it can be cached and loaded cross-origin.
 */
export function avatarRoutes(storage: Storage, files: FileStore): Hono {
  const routes = new Hono();
  routes.get('/agents/:id/avatar', async (c) => {
    const id = idParam(c, 'id');
    const avatar = id === null ? null : ((await storage.agents.profile(id))?.avatar ?? null);
    c.header('X-Content-Type-Options', 'nosniff');
    if (!avatar || !(await files.has(avatar.sha256))) {
      c.header('Cache-Control', 'no-store');
      return c.json({ error: 'No such avatar' } satisfies ApiError, 404);
    }
    c.header('Content-Type', avatar.type);
    c.header('Content-Security-Policy', "sandbox; default-src 'none'");
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    // The URL names the picture's version (?v=), so that URL may be kept for ever; any other is checked again.
    const current = c.req.query('v') === avatar.sha256.slice(0, 16);
    c.header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(Readable.toWeb(files.read(avatar.sha256)) as ReadableStream<Uint8Array>);
  });
  return routes;
}
