// The durable email queue. A reply's email is inserted here in the same transaction as the reply,
// so an acknowledged reply always has its email queued; the worker sends due rows with retries
// and exponential backoff, and a restart simply picks up where the last process stopped. The
// idempotency key is derived from the row, so a retry of an email the provider already accepted
// (a crash between its answer and our update) is not sent twice.
//
// Several processes may run a worker on one database: each claims a row before sending it, with a
// lease (see EmailStore.claimDueEmail), so no email is sent by two of them, and the rows a dead
// process held are sent by the others once its lease runs out.
import type { OutboxEmail, OutboxPage } from '../../../shared/protocol';
import type { OutboxRow, Storage } from '../../storage';
import type { EmailTransport, OutgoingEmail } from './transport';

export interface RetryPolicy {
  /** First retry after this long; each next one waits twice as long, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** After this many failed attempts the email is marked failed for good. */
  maxAttempts: number;
}

/**
 * How long a claimed email is this worker's. A send that has not answered within SEND_TIMEOUT_MS
 * counts as failed and is retried, so the lease always outlasts a live worker's hold on it.
 */
export const EMAIL_LEASE_MS = 60_000;
const SEND_TIMEOUT_MS = 30_000;

const idempotencyKeyOf = (row: OutboxRow) => `parley-email-${row.id}-${row.messageIdHeader}`.slice(0, 256);

function outgoing(row: OutboxRow, from: string): OutgoingEmail {
  const headers: Record<string, string> = { 'Message-ID': row.messageIdHeader };
  if (row.inReplyTo) headers['In-Reply-To'] = row.inReplyTo;
  if (row.references) headers.References = row.references;
  return {
    from,
    to: row.toAddress,
    replyTo: row.replyTo,
    subject: row.subject,
    html: row.html,
    text: row.text,
    headers,
    idempotencyKey: idempotencyKeyOf(row),
  };
}

/**
 * The send's answer, or a retryable failure once `ms` pass without one. The request itself is left to
 * finish: if the provider took it after all, the retry carries the same idempotency key.
 */
async function withTimeout<T>(sending: Promise<T>, ms: number): Promise<T | { ok: false; error: string; retry: true }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<{ ok: false; error: string; retry: true }>((done) => {
    timer = setTimeout(() => done({ ok: false, error: `no answer within ${ms / 1000} s`, retry: true }), ms);
  });
  try {
    return await Promise.race([sending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface DeliveryReport {
  row: OutboxRow;
  state: 'sent' | 'failed';
  error: string | null;
}

/**
 * Sends due emails. `kick()` after a commit sends at once; a timer polls for retries that came due
 * (and for rows a dead process left claimed). One email is in flight per worker, in queue order.
 */
export class OutboxWorker {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  private again = false;

  constructor(
    private readonly storage: Storage,
    private readonly transport: EmailTransport,
    private readonly options: {
      from: string;
      now: () => number;
      pollMs: number;
      retry: RetryPolicy;
      /** The files an email carries (a reply's attachments), read when it is sent. */
      filesOf?: (row: OutboxRow) => Promise<OutgoingEmail['attachments']>;
      /** Each email's final outcome (sent, or failed for good): shown on its message. */
      onReport(report: DeliveryReport): Promise<void> | void;
      /** Runs on every pass before sending (the follow-up scheduler queues its emails here). */
      beforePass?(): Promise<unknown>;
      /** Overrides EMAIL_LEASE_MS and the send timeout (half of it), for tests. */
      leaseMs?: number;
    },
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Something was queued: send now rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Waits for the email in flight, then stops. Queued rows stay queued for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.pass()
        // Recording an outcome failed (the database is busy): the row's lease runs out and it goes again.
        .catch((err: unknown) => console.error('[parley] email outbox:', err))
        .finally(() => {
          this.running = null;
          if (this.stopped) return;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.options.pollMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  private async pass(): Promise<void> {
    try {
      await this.options.beforePass?.();
    } catch (err) {
      console.error('[parley] email follow-ups failed:', err);
    }
    for (;;) {
      if (this.stopped) return;
      let row: OutboxRow | null;
      try {
        row = await this.storage.email.claimDueEmail(this.options.now(), this.options.leaseMs ?? EMAIL_LEASE_MS);
      } catch (err) {
        // The database refused the claim (busy, or out of space): the next poll tries again.
        console.warn('[parley] email outbox: could not claim the next email:', err instanceof Error ? err.message : err);
        return;
      }
      if (!row) return;
      await this.sendOne(row);
    }
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    const attempts = row.attempts + 1;
    let result: Awaited<ReturnType<EmailTransport['send']>>;
    try {
      const attachments = (await this.options.filesOf?.(row)) ?? [];
      const email = { ...outgoing(row, this.options.from), ...(attachments.length && { attachments }) };
      result = await withTimeout(this.transport.send(email), this.options.leaseMs ? this.options.leaseMs / 2 : SEND_TIMEOUT_MS);
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err), retry: true };
    }
    const now = this.options.now();
    if (result.ok) {
      const sent = await this.update(row.id, {
        status: 'sent',
        attempts,
        sentAt: now,
        lastError: null,
        transport: this.transport.name,
        providerId: result.providerId,
      });
      await this.options.onReport({ row: sent, state: 'sent', error: null });
      return;
    }
    const { retry } = this.options;
    if (result.retry && attempts < retry.maxAttempts) {
      const delay = Math.min(retry.baseDelayMs * 2 ** (attempts - 1), retry.maxDelayMs);
      console.warn(`[parley] email ${row.id} to ${row.toAddress} failed (attempt ${attempts}), retrying in ${delay} ms: ${result.error}`);
      await this.update(row.id, { attempts, lastError: result.error, nextAttemptAt: now + delay });
      return;
    }
    console.error(`[parley] email ${row.id} to ${row.toAddress} failed for good after ${attempts} attempts: ${result.error}`);
    const failed = await this.update(row.id, { status: 'failed', attempts, lastError: result.error, transport: this.transport.name });
    await this.options.onReport({ row: failed, state: 'failed', error: result.error });
  }

  private update(id: number, change: Partial<OutboxRow>): Promise<OutboxRow> {
    return this.storage.email.updateOutboxEmail(id, change);
  }
}

const toOutboxEmail = (row: OutboxRow): OutboxEmail => ({
  id: row.id,
  conversationId: row.conversationId,
  kind: row.kind,
  to: row.toAddress,
  subject: row.subject,
  text: row.text,
  status: row.status,
  attempts: row.attempts,
  lastError: row.lastError,
  transport: row.transport === 'resend' || row.transport === 'local' ? row.transport : null,
  createdAt: row.createdAt,
  sentAt: row.sentAt,
});

/** Settings → Outbox: newest first, paged by id. */
export async function outboxPage(storage: Storage, query: { cursor?: number; limit: number }, transport: 'resend' | 'local'): Promise<OutboxPage> {
  const rows = await storage.email.outboxNewestFirst({ before: query.cursor, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    emails: page.map(toOutboxEmail),
    nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
    transport,
  };
}
