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

export interface GraphClient {
  /** One Send API call; `tag` turns a RESPONSE into a MESSAGE_TAG send. */
  sendText(psid: string, text: string, tag?: 'HUMAN_AGENT'): Promise<SendResult>;
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
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
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

  return {
    async sendText(psid, text, tag) {
      const result = await call('me/messages', {}, {
        recipient: { id: psid },
        ...(tag ? { messaging_type: 'MESSAGE_TAG', tag } : { messaging_type: 'RESPONSE' }),
        message: { text },
      });
      if (!result.ok) return result;
      const answer = sendAnswer.safeParse(result.json);
      if (!answer.success) return { ok: false, failure: { kind: 'network', message: 'the Send API answered without a message_id' } };
      return { ok: true, messageId: answer.data.message_id };
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
