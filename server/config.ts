// Reads Parley's settings from the environment once, at start, into a typed object with defaults.
// Nothing else reads process.env, so every knob is listed here (and in the README).
import { z } from 'zod';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from './attachments';
import { parseUploadTypes } from './attachments/uploadTypes';

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
  /**
   * postgres://user:pass@host:5432/db: everything is stored in PostgreSQL instead of the SQLite file,
   * so several Parley processes can share it (then PARLEY_REDIS_URL is required too).
   */
  PARLEY_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional(),
  /** redis://host:6379: news between Parley processes (messages, presence, typing…). Requires PARLEY_DATABASE_URL. */
  PARLEY_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// URL')
    .optional(),
  /** Comma-separated origins allowed to open visitor sockets; unset allows any site. */
  PARLEY_ALLOWED_ORIGINS: origins,
  PARLEY_ADMIN_EMAIL: z.string().optional(),
  PARLEY_ADMIN_PASSWORD: z.string().optional(),
  PARLEY_ADMIN_NAME: z.string().optional(),
  /** Ping interval for dead-socket detection; a visitor's green dot goes within two of these. */
  PARLEY_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Shown to visitors and in email subjects: "Your conversation with <site name>". */
  PARLEY_SITE_NAME: z.string().trim().min(1).max(100).default('Parley'),
  /**
   * The address visitors and agents reach this server at (https://chat.example.com). Used for the demo
   * page's snippet and every link Parley writes; the request's Host header is never trusted for that.
   */
  PARLEY_PUBLIC_URL: z.url().optional(),
  /**
   * How many reverse proxies stand in front of Parley. 0 (default): the client address is the TCP
   * peer. N: it is the N-th address from the right of X-Forwarded-For (each proxy appends one).
   */
  PARLEY_TRUST_PROXY: z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw === '' || raw === 'false' ? 0 : raw === 'true' ? 1 : Number(raw)))
    .pipe(z.number().int().min(0).max(10)),

  // ---- Identity ----
  /** HMAC-SHA256 key the site's backend signs `Parley('identify', {email, userHash})` with. Unset: every identify is a claim. */
  PARLEY_IDENTITY_SECRET: z.string().min(16).optional(),
  /** Emails sent at most to one unverified address (typed in the widget) per day. */
  PARLEY_UNVERIFIED_EMAILS_PER_DAY: z.coerce.number().int().min(0).default(5),

  // ---- Visitor limits (0 turns one off) ----
  /** Messages one visitor may send in a burst… */
  PARLEY_LIMIT_MESSAGE_BURST: z.coerce.number().int().min(0).default(20),
  /** …then at this steady rate. */
  PARLEY_LIMIT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** New visitors (first messages from a widget without a cookie) one IP address may start per minute. */
  PARLEY_LIMIT_NEW_VISITORS_PER_MINUTE: z.coerce.number().int().min(0).default(20),
  /** Visitor sockets open at once from one IP address; past it the upgrade gets HTTP 429. */
  PARLEY_LIMIT_SOCKETS_PER_IP: z.coerce.number().int().min(0).default(50),
  /** `identify` frames (the email form, `Parley('identify')`) one visitor may send per hour. */
  PARLEY_LIMIT_IDENTIFY_PER_HOUR: z.coerce.number().int().min(0).default(10),
  /** Files the widget may upload per client address per hour (each is a message too, under the message limits). */
  PARLEY_LIMIT_UPLOADS_PER_HOUR: z.coerce.number().int().min(0).default(60),
  /** A visitor socket that has not said hello this long after it opened is closed. */
  PARLEY_HELLO_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),

  // ---- Email: sending through Resend (or the local outbox) and replies by mail ----
  /** Set: mail goes out through Resend. Unset: it is kept in the local outbox (Settings → Outbox). */
  RESEND_API_KEY: z.string().min(1).optional(),
  /** The Resend API's address; tests point it at a fake on 127.0.0.1. */
  RESEND_BASE_URL: z.url().optional(),
  /** Signing secret of the Resend inbound webhook (`whsec_…`), checked with svix. */
  RESEND_WEBHOOK_SECRET: z.string().min(1).optional(),
  PARLEY_EMAIL_FROM: z.string().min(3).default('Parley <support@localhost>'),
  /** Replies go to reply+<token>@<this domain>, which must route inbound mail to Parley. */
  PARLEY_INBOUND_DOMAIN: z.string().min(1).default('reply.localhost'),
  /** Shared secret for POST /webhooks/email/raw, sent in the X-Parley-Inbound-Secret header. */
  PARLEY_INBOUND_SECRET: z.string().min(16).optional(),
  /** The widget offers the email form when no agent has answered this long after the visitor wrote. */
  PARLEY_EMAIL_PROMPT_DELAY_MS: z.coerce.number().int().min(0).default(60_000),
  /** An agent's chat reply the visitor has not seen this long after it was sent is emailed to them. */
  PARLEY_EMAIL_FOLLOWUP_DELAY_MS: z.coerce.number().int().min(0).default(600_000),
  /**
   * How long an email a process claimed from the outbox stays its own (default 60 s, EMAIL_LEASE_MS);
   * a process that died mid-send leaves it to the others for this long. A send that has not answered
   * within half of it counts as failed and is retried. Tests shorten it; production rarely should.
   */
  PARLEY_EMAIL_LEASE_MS: z.coerce.number().int().min(1_000).optional(),

  // ---- Attachments: kept in <folder of PARLEY_DB>/attachments ----
  /** The largest file kept; a bigger one is listed on its message as not kept. */
  PARLEY_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).max(1024 ** 3).default(DEFAULT_ATTACHMENT_LIMITS.maxFileBytes),
  /** All files of one message together; past it the rest are listed as not kept. */
  PARLEY_ATTACHMENTS_MAX_BYTES_PER_MESSAGE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10 * 1024 ** 3)
    .default(DEFAULT_ATTACHMENT_LIMITS.maxMessageBytes),
  /** What visitors and agents may upload: comma-separated MIME types (server/attachments/uploadTypes.ts). */
  PARLEY_UPLOAD_TYPES: z.string().optional(),

  // ---- Facebook Messenger: off unless the page token, app secret and verify token are all set ----
  MESSENGER_PAGE_TOKEN: z.string().min(1).optional(),
  MESSENGER_APP_SECRET: z.string().min(1).optional(),
  MESSENGER_VERIFY_TOKEN: z.string().min(1).optional(),
  /** Our Meta app's id: echoes carrying it are our own sends. */
  MESSENGER_APP_ID: z.string().min(1).optional(),
  MESSENGER_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  MESSENGER_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'like v25.0').default('v25.0'),
});

export interface ParleyConfig {
  port: number;
  host: string;
  dbPath: string;
  /** PostgreSQL instead of the SQLite file at dbPath (null: SQLite). */
  databaseUrl: string | null;
  /** Redis for fan-out between processes (null: one process, news stays in memory). */
  redisUrl: string | null;
  /** null = any origin may embed the widget. */
  allowedOrigins: string[] | null;
  admin: { email: string; password: string; name: string } | null;
  /** Every socket is pinged this often; one that misses a pong is dropped (presence off within 2×). */
  heartbeatMs: number;
  siteName: string;
  /** null: derived from where the server listens (http://localhost:PORT). */
  publicUrl: string | null;
  /** Reverse proxies in front of Parley whose X-Forwarded-For is believed (0: none). */
  trustProxy: number;
  /** null: no signed identify; every email a visitor types stays unverified until they prove the mailbox. */
  identitySecret: string | null;
  unverifiedEmailsPerDay: number;
  limits: VisitorLimits;
  email: EmailConfig;
  /** null = the Messenger channel is off. */
  messenger: MessengerConfig | null;
  /** Caps on the files kept per message (server/attachments/); defaults when omitted. */
  attachments?: AttachmentLimits;
  /** PARLEY_UPLOAD_TYPES: MIME types visitors and agents may upload; DEFAULT_UPLOAD_TYPES when omitted. */
  uploadTypes?: string[];
  /** The server's clock; tests set it to check time windows without waiting. */
  now?: () => number;
  /** How long after the last agent leaves visitors hear "no agent online" (default 5 s; tests shorten it). */
  agentsGoneGraceMs?: number;
}

/** Per-visitor and per-IP abuse limits; 0 turns one off. Agents and webhooks are never subject to them. */
export interface VisitorLimits {
  messageBurst: number;
  messagesPerMinute: number;
  newVisitorsPerIpPerMinute: number;
  socketsPerIp: number;
  identifyPerHour: number;
  uploadsPerIpPerHour: number;
  helloTimeoutMs: number;
}

export const defaultVisitorLimits: VisitorLimits = {
  messageBurst: 20,
  messagesPerMinute: 30,
  newVisitorsPerIpPerMinute: 20,
  socketsPerIp: 50,
  identifyPerHour: 10,
  uploadsPerIpPerHour: 60,
  helloTimeoutMs: 10_000,
};

export interface EmailConfig {
  /** null: the local outbox transport. */
  resendApiKey: string | null;
  resendBaseUrl: string | null;
  resendWebhookSecret: string | null;
  from: string;
  inboundDomain: string;
  inboundSecret: string | null;
  promptDelayMs: number;
  followupDelayMs: number;
  /** How often the email worker looks for due retries and follow-ups. */
  pollMs: number;
  /** Retries with exponential backoff: first after retryBaseMs, then twice as long each time, up to retryMaxDelayMs. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** After this many failed attempts an email is marked failed for good. */
  maxAttempts: number;
  /** Longest one inbound email may take to read (in a worker); past it the email is kept unreadable, with a note. */
  inboundReadBudgetMs: number;
  /** PARLEY_EMAIL_LEASE_MS: how long a claimed outbox email is this process's (undefined: EMAIL_LEASE_MS, 60 s). */
  leaseMs?: number;
}

export interface MessengerConfig {
  pageToken: string;
  appSecret: string;
  verifyToken: string;
  appId: string | null;
  graphUrl: string;
  graphVersion: string;
}

export const defaultEmailConfig: EmailConfig = {
  resendApiKey: null,
  resendBaseUrl: null,
  resendWebhookSecret: null,
  from: 'Parley <support@localhost>',
  inboundDomain: 'reply.localhost',
  inboundSecret: null,
  promptDelayMs: 60_000,
  followupDelayMs: 600_000,
  pollMs: 1_000,
  retryBaseMs: 2_000,
  retryMaxDelayMs: 10 * 60_000,
  maxAttempts: 8,
  inboundReadBudgetMs: 5_000,
};

export function configFromEnv(source: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${detail}`);
  }
  const e = parsed.data;
  // Several processes on one database need a way to tell each other the news; one process on SQLite
  // needs none (and Redis with SQLite would mean processes that share no data).
  if (e.PARLEY_DATABASE_URL && !e.PARLEY_REDIS_URL) {
    throw new Error('Invalid configuration: PARLEY_DATABASE_URL needs PARLEY_REDIS_URL too (the processes that share the database share news through it)');
  }
  if (e.PARLEY_REDIS_URL && !e.PARLEY_DATABASE_URL) {
    throw new Error('Invalid configuration: PARLEY_REDIS_URL is for processes sharing a PostgreSQL database: set PARLEY_DATABASE_URL too');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dbPath: e.PARLEY_DB,
    databaseUrl: e.PARLEY_DATABASE_URL ?? null,
    redisUrl: e.PARLEY_REDIS_URL ?? null,
    allowedOrigins: e.PARLEY_ALLOWED_ORIGINS,
    admin:
      e.PARLEY_ADMIN_EMAIL && e.PARLEY_ADMIN_PASSWORD
        ? { email: e.PARLEY_ADMIN_EMAIL, password: e.PARLEY_ADMIN_PASSWORD, name: e.PARLEY_ADMIN_NAME ?? 'Admin' }
        : null,
    heartbeatMs: e.PARLEY_HEARTBEAT_MS,
    siteName: e.PARLEY_SITE_NAME,
    publicUrl: e.PARLEY_PUBLIC_URL ? e.PARLEY_PUBLIC_URL.replace(/\/+$/, '') : null,
    trustProxy: e.PARLEY_TRUST_PROXY,
    identitySecret: e.PARLEY_IDENTITY_SECRET ?? null,
    unverifiedEmailsPerDay: e.PARLEY_UNVERIFIED_EMAILS_PER_DAY,
    limits: {
      messageBurst: e.PARLEY_LIMIT_MESSAGE_BURST,
      messagesPerMinute: e.PARLEY_LIMIT_MESSAGES_PER_MINUTE,
      newVisitorsPerIpPerMinute: e.PARLEY_LIMIT_NEW_VISITORS_PER_MINUTE,
      socketsPerIp: e.PARLEY_LIMIT_SOCKETS_PER_IP,
      identifyPerHour: e.PARLEY_LIMIT_IDENTIFY_PER_HOUR,
      uploadsPerIpPerHour: e.PARLEY_LIMIT_UPLOADS_PER_HOUR,
      helloTimeoutMs: e.PARLEY_HELLO_TIMEOUT_MS,
    },
    email: {
      ...defaultEmailConfig,
      resendApiKey: e.RESEND_API_KEY ?? null,
      resendBaseUrl: e.RESEND_BASE_URL ?? null,
      resendWebhookSecret: e.RESEND_WEBHOOK_SECRET ?? null,
      from: e.PARLEY_EMAIL_FROM,
      inboundDomain: e.PARLEY_INBOUND_DOMAIN,
      inboundSecret: e.PARLEY_INBOUND_SECRET ?? null,
      promptDelayMs: e.PARLEY_EMAIL_PROMPT_DELAY_MS,
      followupDelayMs: e.PARLEY_EMAIL_FOLLOWUP_DELAY_MS,
      ...(e.PARLEY_EMAIL_LEASE_MS !== undefined && { leaseMs: e.PARLEY_EMAIL_LEASE_MS }),
    },
    attachments: { maxFileBytes: e.PARLEY_ATTACHMENT_MAX_BYTES, maxMessageBytes: e.PARLEY_ATTACHMENTS_MAX_BYTES_PER_MESSAGE },
    uploadTypes: parseUploadTypes(e.PARLEY_UPLOAD_TYPES),
    messenger:
      e.MESSENGER_PAGE_TOKEN && e.MESSENGER_APP_SECRET && e.MESSENGER_VERIFY_TOKEN
        ? {
            pageToken: e.MESSENGER_PAGE_TOKEN,
            appSecret: e.MESSENGER_APP_SECRET,
            verifyToken: e.MESSENGER_VERIFY_TOKEN,
            appId: e.MESSENGER_APP_ID ?? null,
            graphUrl: e.MESSENGER_GRAPH_URL.replace(/\/+$/, ''),
            graphVersion: e.MESSENGER_GRAPH_VERSION,
          }
        : null,
  };
}
