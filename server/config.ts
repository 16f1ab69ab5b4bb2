// Reads Parley's settings from the environment once, at start, into a typed object with defaults.
// Nothing else reads process.env, so every knob is listed here (and in the README).
import { z } from 'zod';

const origins = z
  .string()
  .optional()
  .transform((raw) =>
    raw
      ? raw
          .split(',')
          .map((o) => o.trim().replace(/\/+$/, ''))
          .filter(Boolean)
      : null,
  );

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PARLEY_DB: z.string().default('./data/parley.db'),
  /** Comma-separated origins allowed to open visitor sockets; unset allows any site. */
  PARLEY_ALLOWED_ORIGINS: origins,
  PARLEY_ADMIN_EMAIL: z.string().optional(),
  PARLEY_ADMIN_PASSWORD: z.string().optional(),
  PARLEY_ADMIN_NAME: z.string().optional(),
  /** Ping interval for dead-socket detection; a visitor's green dot goes within two of these. */
  PARLEY_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
});

export interface ParleyConfig {
  port: number;
  host: string;
  dbPath: string;
  /** null = any origin may embed the widget. */
  allowedOrigins: string[] | null;
  admin: { email: string; password: string; name: string } | null;
  /** Every socket is pinged this often; one that misses a pong is dropped (presence off within 2×). */
  heartbeatMs: number;
}

export function configFromEnv(source: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${detail}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dbPath: e.PARLEY_DB,
    allowedOrigins: e.PARLEY_ALLOWED_ORIGINS,
    admin:
      e.PARLEY_ADMIN_EMAIL && e.PARLEY_ADMIN_PASSWORD
        ? { email: e.PARLEY_ADMIN_EMAIL, password: e.PARLEY_ADMIN_PASSWORD, name: e.PARLEY_ADMIN_NAME ?? 'Admin' }
        : null,
    heartbeatMs: e.PARLEY_HEARTBEAT_MS,
  };
}
