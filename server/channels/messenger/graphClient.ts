// Meta's Graph API as Parley uses it: the Send API for replies, and the profile lookup that gives a
// sender's name. It never throws: a refusal or a network failure comes back as a typed failure.
import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../../../shared/limits';
import type { MessengerConfig } from '../../config';

const GRAPH_TIMEOUT_MS = 10_000;

/** Why a Graph call did not succeed: Meta's own error, or no usable answer at all. */
export type GraphFailure =
  | { kind: 'graph'; code: number; subcode: number | null; message: string }
  | { kind: 'network'; message: string };

export type SendResult = { ok: true; messageId: string } | { ok: false; failure: GraphFailure };

const graphErrorBody = z.object({
  error: z.object({ message: z.string().default(''), code: z.number().int(), error_subcode: z.number().int().optional() }),
});
const sendAnswer = z.object({ recipient_id: z.string().optional(), message_id: z.string().min(1) });
const profileAnswer = z.object({ first_name: z.string().optional(), last_name: z.string().optional() });

/** fetch says only "fetch failed"; the cause says what happened ("connect ECONNREFUSED 127.0.0.1:443"). */
function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return `no answer within ${GRAPH_TIMEOUT_MS / 1000} s`;
  return err.cause instanceof Error ? err.cause.message : err.message;
}

/** A file sent with the Send API's attachment upload (multipart, `filedata`). */
export interface OutgoingFile {
  name: string;
  mimeType: string;
  bytes: Buffer;
}

/** Meta's asset type for a file: what the person's app shows it as. */
const assetType = (mimeType: string) =>
  mimeType.startsWith('image/') ? 'image' : mimeType.startsWith('audio/') ? 'audio' : mimeType.startsWith('video/') ? 'video' : 'file';

export interface GraphClient {
  /** One Send API call; `tag` turns a RESPONSE into a MESSAGE_TAG send. */
  sendText(psid: string, text: string, tag?: 'HUMAN_AGENT'): Promise<SendResult>;
  /** One Send API call that uploads and sends a file (Meta's "upload and send" form). */
  sendFile(psid: string, file: OutgoingFile, tag?: 'HUMAN_AGENT'): Promise<SendResult>;
  /** "First Last", or null when Meta does not share the profile (or cannot be reached). */
  profileName(psid: string): Promise<string | null>;
}

export function graphClient(config: MessengerConfig): GraphClient {
  const base = `${config.graphUrl}/${config.graphVersion}`;

  type CallResult = { ok: true; json: unknown } | { ok: false; failure: GraphFailure };

  async function call(path: string, params: Record<string, string>, body?: unknown): Promise<CallResult> {
    const url = new URL(`${base}/${path}`);
    for (const [name, value] of Object.entries({ ...params, access_token: config.pageToken })) url.searchParams.set(name, value);
    let response: Response;
    let json: unknown;
    try {
      response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        // A form sets its own multipart Content-Type, boundary included.
        headers: body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(GRAPH_TIMEOUT_MS),
      });
      json = await response.json().catch(() => null);
    } catch (err) {
      return { ok: false, failure: { kind: 'network', message: networkReason(err) } };
    }
    if (response.ok) return { ok: true, json };
    const error = graphErrorBody.safeParse(json);
    if (!error.success) return { ok: false, failure: { kind: 'network', message: `the Graph API answered HTTP ${response.status}` } };
    const { code, error_subcode, message } = error.data.error;
    return { ok: false, failure: { kind: 'graph', code, subcode: error_subcode ?? null, message } };
  }

  function sent(result: CallResult): SendResult {
    if (!result.ok) return result;
    const answer = sendAnswer.safeParse(result.json);
    if (!answer.success) return { ok: false, failure: { kind: 'network', message: 'the Send API answered without a message_id' } };
    return { ok: true, messageId: answer.data.message_id };
  }

  return {
    async sendText(psid, text, tag) {
      return sent(
        await call('me/messages', {}, {
          recipient: { id: psid },
          ...(tag ? { messaging_type: 'MESSAGE_TAG', tag } : { messaging_type: 'RESPONSE' }),
          message: { text },
        }),
      );
    },

    async sendFile(psid, file, tag) {
      const form = new FormData();
      form.set('recipient', JSON.stringify({ id: psid }));
      form.set('messaging_type', tag ? 'MESSAGE_TAG' : 'RESPONSE');
      if (tag) form.set('tag', tag);
      form.set('message', JSON.stringify({ attachment: { type: assetType(file.mimeType), payload: { is_reusable: false } } }));
      form.set('filedata', new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.name);
      return sent(await call('me/messages', {}, form));
    },

    async profileName(psid) {
      const result = await call(encodeURIComponent(psid), { fields: 'first_name,last_name' });
      if (!result.ok) return null;
      const profile = profileAnswer.safeParse(result.json);
      if (!profile.success) return null;
      const name = [profile.data.first_name, profile.data.last_name].filter(Boolean).join(' ').trim();
      return name ? name.slice(0, MAX_NAME_LENGTH) : null;
    },
  };
}
