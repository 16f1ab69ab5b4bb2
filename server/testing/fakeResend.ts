// A stand-in for Resend's HTTP API on 127.0.0.1, for tests: the real `resend` SDK is pointed at it
// by base URL. It records every send attempt, honours idempotency keys the way Resend does (the
// same key returns the first answer and sends nothing new), can be told to fail, and serves
// received emails for the inbound webhook to fetch.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultEmailConfig, type EmailConfig } from '../config';

export interface SentEmail {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  reply_to?: string | string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** Files as the SDK sends them: base64 content. */
  attachments?: { filename: string; content: string; content_type?: string }[];
}

export interface ReceivedEmailRecord {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  message_id: string;
  headers: Record<string, string>;
  attachments?: unknown[];
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export class FakeResend {
  /** Emails accepted, once each (what a recipient would get). */
  readonly sent: SentEmail[] = [];
  /** Every POST /emails, failed ones and idempotent repeats included; `apiKey` tells senders apart. */
  readonly attempts: { idempotencyKey: string | null; status: number; apiKey?: string }[] = [];
  /** Sends read but not answered yet (while `delayMs` runs), by idempotency key and API key. */
  readonly inFlight: { idempotencyKey: string | null; apiKey: string }[] = [];
  /**
   * Each send is answered this long after it arrived, as a slow provider would: it counts as accepted
   * (and is recorded) when the answer goes, whether or not the sender is still there to read it.
   */
  delayMs = 0;
  readonly received = new Map<string, ReceivedEmailRecord>();
  /** Attachments of received emails, by email id: listed on the record, fetched by id, downloaded from its CDN. */
  readonly receivedAttachments = new Map<string, { id: string; filename: string; content_type: string; bytes: Uint8Array }[]>();
  /** Received emails served as a JSON body of this many bytes, streamed as fast as the client reads. */
  readonly oversized = new Map<string, number>();
  /** Bytes of each oversized body actually sent before the client stopped reading (or all of them). */
  readonly oversizedSent = new Map<string, number>();
  private failures: { status: number; message: string }[] = [];
  private hangs = 0;
  private hung: ServerResponse[] = [];
  private byKey = new Map<string, string>();
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeResend> {
    let fake: FakeResend | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res.writeHead.bind(res), res.end.bind(res), res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    fake = new FakeResend(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  /** The next `times` sends answer `status` with Resend's error body. */
  failNext(times: number, status = 500, message = 'Internal server error'): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, message });
  }

  /** The next `times` sends are read and never answered (the connection stays open until close()). */
  hangNext(times: number): void {
    this.hangs += times;
  }

  /** Resolves once `count` emails have been accepted. */
  async waitForSent(count: number, timeoutMs = 5000): Promise<SentEmail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.sent.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} emails, got ${this.sent.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.sent;
  }

  private async handle(
    req: IncomingMessage,
    writeHead: (status: number, headers: Record<string, string>) => unknown,
    end: (body: string) => unknown,
    res: ServerResponse,
  ): Promise<void> {
    const reply = (status: number, body: unknown) => {
      writeHead(status, { 'content-type': 'application/json' });
      end(JSON.stringify(body));
    };
    const body = await readBody(req);
    const cdn = /^\/cdn\/([^/?]+)\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && cdn) {
      const file = this.receivedAttachments.get(decodeURIComponent(cdn[1]!))?.find((a) => a.id === decodeURIComponent(cdn[2]!));
      if (!file) return reply(404, { message: 'Not found' });
      writeHead(200, { 'content-type': file.content_type, 'content-length': String(file.bytes.byteLength) });
      return void res.end(file.bytes);
    }
    const huge = /^\/emails\/receiving\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && huge && this.oversized.has(decodeURIComponent(huge[1]!))) {
      return this.streamOversized(decodeURIComponent(huge[1]!), res);
    }
    if (req.headers.authorization?.startsWith('Bearer ') !== true) return reply(401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' });

    if (req.method === 'POST' && req.url === '/emails') {
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      if (this.delayMs > 0) {
        const apiKey = req.headers.authorization.slice('Bearer '.length);
        const flight = { idempotencyKey: key, apiKey };
        this.inFlight.push(flight);
        await new Promise((done) => setTimeout(done, this.delayMs));
        this.inFlight.splice(this.inFlight.indexOf(flight), 1);
        const failure = this.failures.shift();
        if (failure) {
          this.attempts.push({ idempotencyKey: key, status: failure.status, apiKey });
          return reply(failure.status, { statusCode: failure.status, name: 'application_error', message: failure.message });
        }
        this.attempts.push({ idempotencyKey: key, status: 200, apiKey });
        return this.accept(key, body, reply);
      }
      if (this.hangs > 0) {
        this.hangs--;
        this.attempts.push({ idempotencyKey: key, status: 0 });
        return void this.hung.push(res);
      }
      const failure = this.failures.shift();
      if (failure) {
        this.attempts.push({ idempotencyKey: key, status: failure.status });
        return reply(failure.status, { statusCode: failure.status, name: 'application_error', message: failure.message });
      }
      this.attempts.push({ idempotencyKey: key, status: 200 });
      return this.accept(key, body, reply);
    }

    const attachment = /^\/emails\/receiving\/([^/?]+)\/attachments\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && attachment) {
      const emailId = decodeURIComponent(attachment[1]!);
      const file = this.receivedAttachments.get(emailId)?.find((a) => a.id === decodeURIComponent(attachment[2]!));
      if (!file) return reply(404, { statusCode: 404, name: 'not_found', message: 'Attachment not found' });
      const { bytes, ...meta } = file;
      return reply(200, {
        object: 'attachment',
        ...meta,
        size: bytes.byteLength,
        content_disposition: 'attachment',
        content_id: null,
        download_url: `${this.url}/cdn/${encodeURIComponent(emailId)}/${encodeURIComponent(file.id)}`,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      });
    }

    const receiving = /^\/emails\/receiving\/([^/?]+)/.exec(req.url ?? '');
    if (req.method === 'GET' && receiving) {
      const email = this.received.get(decodeURIComponent(receiving[1]!));
      if (!email) return reply(404, { statusCode: 404, name: 'not_found', message: 'Email not found' });
      return reply(200, {
        object: 'email',
        created_at: new Date().toISOString(),
        bcc: null,
        cc: null,
        reply_to: null,
        received_for: email.to,
        attachments: (this.receivedAttachments.get(email.id) ?? []).map(({ bytes, ...meta }) => ({
          ...meta,
          size: bytes.byteLength,
          content_disposition: 'attachment',
          content_id: null,
        })),
        raw: null,
        ...email,
      });
    }
    reply(404, { statusCode: 404, name: 'not_found', message: `No fake for ${req.method} ${req.url}` });
  }

  /** A send accepted: recorded once per idempotency key (a repeat gets the first answer, nothing new goes). */
  private accept(key: string | null, body: string, reply: (status: number, body: unknown) => void): void {
    const earlier = key ? this.byKey.get(key) : undefined;
    if (earlier) return reply(200, { id: earlier });
    const id = randomUUID();
    if (key) this.byKey.set(key, id);
    this.sent.push({ id, idempotencyKey: key, ...(JSON.parse(body) as Omit<SentEmail, 'id' | 'idempotencyKey'>) });
    for (const wake of this.waiters.splice(0)) wake();
    reply(200, { id });
  }

  private streamOversized(id: string, res: ServerResponse): void {
    const total = this.oversized.get(id)!;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    res.writeHead(200, { 'content-type': 'application/json' }); // no Content-Length: the client must count
    res.write('{"padding":"');
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        this.oversizedSent.set(id, sent);
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end('"}');
    };
    res.once('close', () => res.removeAllListeners('drain'));
    pump();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Delivers a signed `email.received` event to Parley's Resend webhook, as Resend would (Svix headers
 * signed with `secret`); `data` fills the event around the email id.
 */
export async function postResendEvent(
  parleyUrl: string,
  secret: string,
  emailId: string,
  data: Record<string, unknown> = {},
): Promise<Response> {
  return postSignedResendEvent(parleyUrl, secret, 'email.received', {
    email_id: emailId,
    from: 'x',
    to: ['y'],
    subject: 's',
    message_id: 'm',
    ...data,
  });
}

/** Any Resend webhook event, signed the Svix way with `secret`, as Resend delivers it. */
export async function postSignedResendEvent(parleyUrl: string, secret: string, type: string, data: Record<string, unknown>): Promise<Response> {
  const { Webhook } = await import('svix');
  const payload = JSON.stringify({ type, created_at: new Date().toISOString(), data: { created_at: new Date().toISOString(), ...data } });
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const at = new Date();
  return fetch(`${parleyUrl}/webhooks/email/resend`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': new Webhook(secret).sign(id, at, payload),
    },
    body: payload,
  });
}

/**
 * Email settings for a test Parley that sends through `fake` and takes mail in through both doors
 * (the raw webhook with `inboundSecret`, Resend's with `webhookSecret`), polling its outbox quickly.
 */
export function emailThroughFake(fake: FakeResend, secrets: { inboundSecret: string; webhookSecret: string }): EmailConfig {
  return {
    ...defaultEmailConfig,
    pollMs: 20,
    retryBaseMs: 20,
    resendApiKey: 're_test',
    resendBaseUrl: fake.url,
    resendWebhookSecret: secrets.webhookSecret,
    inboundSecret: secrets.inboundSecret,
    inboundDomain: 'in.example.test',
  };
}
