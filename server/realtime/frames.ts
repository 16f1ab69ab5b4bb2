// Reading one inbound WebSocket frame: bytes → JSON → zod-checked value, or a ready-to-send error.
// Shared by the visitor and agent sockets so both answer bad input the same way.
import type { RawData } from 'ws';
import type { z } from 'zod';
import type { ErrorFrame } from '../../shared/protocol';

export type FrameResult<T> = { ok: true; frame: T } | { ok: false; error: ErrorFrame };

export function parseFrame<S extends z.ZodType>(schema: S, raw: RawData, isBinary: boolean): FrameResult<z.infer<S>> {
  if (isBinary) return { ok: false, error: { type: 'error', code: 'bad_frame', message: 'Binary frames are not accepted' } };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    return { ok: false, error: { type: 'error', code: 'bad_json', message: 'Frame is not valid JSON' } };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const error: ErrorFrame = { type: 'error', code: 'bad_frame', message: issue?.message ?? 'Invalid frame' };
  // Name the field, so a client can show the reason beside it without reading the message's text.
  const field = issue?.path.join('.');
  if (field) error.field = field;
  // Point the error at the message it concerns, so the widget can mark exactly that one failed.
  const clientId = (json as { clientId?: unknown } | null)?.clientId;
  if (typeof clientId === 'string' && clientId.length <= 64) error.clientId = clientId;
  return { ok: false, error };
}
