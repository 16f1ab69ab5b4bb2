// Parses a request body or query with a zod schema; bad input becomes a 400 with a JSON body that
// names each problem, never an exception that would surface as a 500.
import type { Context } from 'hono';
import type { z } from 'zod';
import type { ApiError } from '../../shared/protocol';

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

function invalid(c: Context, error: z.ZodError): Response {
  const body: ApiError = {
    error: error.issues[0]?.message ?? 'Invalid request',
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  };
  return c.json(body, 400);
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.infer<S>>> {
  // Only real JSON requests: a cross-site form can send text/plain without a CORS preflight.
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    return { ok: false, response: c.json({ error: 'Content-Type must be application/json' } satisfies ApiError, 415) };
  }
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    return { ok: false, response: c.json({ error: 'Body must be JSON' } satisfies ApiError, 400) };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: invalid(c, parsed.error) };
}

export function queryParams<S extends z.ZodType>(c: Context, schema: S): Parsed<z.infer<S>> {
  const parsed = schema.safeParse(c.req.query());
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: invalid(c, parsed.error) };
}

/** A positive integer route parameter, or null. */
export function idParam(c: Context, name: string): number | null {
  const raw = c.req.param(name) ?? '';
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}
