// A fake of Meta's Graph API on 127.0.0.1 for the Messenger tests: it records Send API calls, answers
// with a message_id, or with the real error payloads Meta sends when it refuses; and it answers
// profile lookups with the names it was given.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphErrorPayload {
  error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string };
}

const trace = () => randomBytes(8).toString('base64url');

/** Meta's own payloads for the refusals Parley must explain. */
export const GRAPH_ERRORS = {
  outsideWindow: (): GraphErrorPayload => ({
    error: {
      message: '(#10) This message is sent outside of allowed window.',
      type: 'OAuthException',
      code: 10,
      error_subcode: 2018278,
      fbtrace_id: trace(),
    },
  }),
  unavailable: (): GraphErrorPayload => ({
    error: {
      message: "(#551) This person isn't available right now.",
      type: 'OAuthException',
      code: 551,
      error_subcode: 1545041,
      fbtrace_id: trace(),
    },
  }),
  tokenExpired: (): GraphErrorPayload => ({
    error: {
      message: 'Error validating access token: Session has expired on Tuesday, 01-Jul-25 10:00:00 PDT.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 463,
      fbtrace_id: trace(),
    },
  }),
  rateLimited: (): GraphErrorPayload => ({
    error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613, fbtrace_id: trace() },
  }),
  noProfile: (psid: string): GraphErrorPayload => ({
    error: {
      message:
        `Unsupported get request. Object with ID '${psid}' does not exist, cannot be loaded due to missing ` +
        'permissions, or does not support this operation.',
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: trace(),
    },
  }),
};

/** One POST /{version}/me/messages, as received. */
export interface RecordedSend {
  version: string;
  accessToken: string | null;
  body: {
    recipient: { id: string };
    messaging_type: string;
    tag?: string;
    /** A text, or a file's attachment (its bytes are in `file`). */
    message: { text?: string; attachment?: { type: string; payload: { is_reusable?: boolean } } };
  };
  /** A file sent with the attachment upload (multipart `filedata`). */
  file?: { name: string; type: string; bytes: Uint8Array };
  /** The mid the fake answered with (null when it answered with an error). */
  messageId: string | null;
}

export class FakeGraph {
  readonly sends: RecordedSend[] = [];
  /** Profile names by PSID; a PSID not here gets Meta's "does not exist" error. */
  readonly profiles = new Map<string, { first_name: string; last_name: string }>();
  /** PSIDs whose profile was asked for, in order. */
  readonly lookups: string[] = [];
  private refusals: GraphErrorPayload[] = [];
  /** Files its CDN serves at /cdn/<name> (Meta's attachment addresses), or where it redirects. */
  private readonly files = new Map<string, { bytes: Uint8Array; contentType: string } | { redirect: string }>();
  private held: Promise<void> | null = null;
  private waiters: { match: (send: RecordedSend) => boolean; resolve: (send: RecordedSend) => void }[] = [];
  /** Sends already returned by nextSend. */
  private readonly taken = new Set<RecordedSend>();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
    readonly pageToken: string,
  ) {}

  static async start(pageToken = 'test-page-token'): Promise<FakeGraph> {
    let fake: FakeGraph | undefined;
    const server = createServer((req, res) =>
      fake?.handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeGraph(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pageToken);
    return fake;
  }

  /** Serves `bytes` as a Messenger attachment would be, and returns its address. */
  serveFile(name: string, bytes: Uint8Array, contentType: string): string {
    this.files.set(name, { bytes, contentType });
    return `${this.url}/cdn/${name}`;
  }

  /** The address `name` answers with a redirect to `location`. */
  redirectFile(name: string, location: string): string {
    this.files.set(name, { redirect: location });
    return `${this.url}/cdn/${name}`;
  }

  /** The next Send API calls are refused with these payloads, in order (then sends succeed again). */
  refuseSends(...payloads: GraphErrorPayload[]): void {
    this.refusals.push(...payloads);
  }

  /** Send API calls are recorded but not answered until `release` is called. */
  holdSends(): () => void {
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    return () => {
      this.held = null;
      release();
    };
  }

  /** Resolves with the next recorded send matching `where` (or one already recorded and not yet taken). */
  nextSend(where: (send: RecordedSend) => boolean = () => true, timeoutMs = 5000): Promise<RecordedSend> {
    const found = this.sends.find((send) => !this.taken.has(send) && where(send));
    if (found) {
      this.taken.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching Send API call within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match: where,
        resolve: (send) => {
          clearTimeout(timer);
          this.taken.add(send);
          resolve(send);
        },
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const [version = '', target = '', action] = url.pathname.split('/').filter(Boolean);
    const accessToken = url.searchParams.get('access_token');
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && version === 'cdn') {
      const file = this.files.get(target);
      if (!file) return void res.writeHead(404).end('Not found');
      if ('redirect' in file) return void res.writeHead(302, { location: file.redirect }).end();
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) });
      return void res.end(file.bytes);
    }
    if (accessToken !== this.pageToken) return answer(400, GRAPH_ERRORS.tokenExpired());

    if (req.method === 'POST' && target === 'me' && action === 'messages') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      const send: RecordedSend = contentType.startsWith('multipart/form-data')
        ? await formSend(version, accessToken, raw, contentType)
        : { version, accessToken, body: JSON.parse(raw.toString('utf8')), messageId: null };
      this.sends.push(send);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(send)) return true;
        w.resolve(send);
        return false;
      });
      await this.held;
      const refusal = this.refusals.shift();
      if (refusal) return answer(400, refusal);
      send.messageId = `m_${randomBytes(12).toString('base64url')}`;
      return answer(200, { recipient_id: send.body.recipient.id, message_id: send.messageId });
    }

    if (req.method === 'GET' && target && !action) {
      this.lookups.push(target);
      const profile = this.profiles.get(target);
      if (!profile) return answer(400, GRAPH_ERRORS.noProfile(target));
      return answer(200, { ...profile, id: target });
    }

    answer(404, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100, fbtrace_id: trace() } });
  }
}

/** A Send API call made as a form (Meta's upload and send): its fields parsed, the file kept. */
async function formSend(version: string, accessToken: string | null, raw: Buffer, contentType: string): Promise<RecordedSend> {
  const form = await new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData();
  const field = (name: string) => JSON.parse(String(form.get(name) ?? 'null')) as unknown;
  const file = form.get('filedata');
  const tag = form.get('tag');
  return {
    version,
    accessToken,
    body: {
      recipient: field('recipient') as { id: string },
      messaging_type: String(form.get('messaging_type')),
      ...(tag && { tag: String(tag) }),
      message: field('message') as RecordedSend['body']['message'],
    },
    file: file instanceof Blob ? { name: (file as File).name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined,
    messageId: null,
  };
}
