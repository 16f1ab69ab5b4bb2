// An email's files, kept before the email is stored (in the file store, durable, off the event
// loop): the bytes the mail reader's worker read from a raw email, or the attachments Resend holds,
// fetched through its API and bounded like the email itself. It records nothing in the database.
import { readBounded } from '../../../http/boundedBody';
import type { Attachments, PreparedFile } from '../../../attachments';
import type { FetchedBouncePart } from './automaticMail';
import { isBouncePartType, RETURNED_BYTES } from './bounceParts';
import type { InboundEmail } from './parse';
import type { ResendApi } from './resend';

/** Resend's answer about one attachment is a small JSON object. */
const ATTACHMENT_RECORD_BYTES = 64 * 1024;
const DOWNLOAD_TIMEOUT_MS = 60_000;

export interface ResendSource {
  api: ResendApi;
  emailId: string;
}

/** The signed download address Resend gives for one attachment, or why there is none. */
async function resendDownloadUrl(source: ResendSource, attachmentId: string): Promise<{ url: string } | { reason: string }> {
  const base = source.api.baseUrl.replace(/\/+$/, '');
  try {
    const res = await fetch(`${base}/emails/receiving/${encodeURIComponent(source.emailId)}/attachments/${encodeURIComponent(attachmentId)}`, {
      headers: { authorization: `Bearer ${source.api.apiKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { reason: `Resend did not give it (HTTP ${res.status})` };
    }
    const body = await readBounded(res.body, ATTACHMENT_RECORD_BYTES, 0);
    const record: unknown = body ? JSON.parse(Buffer.from(body).toString('utf8')) : null;
    const url = (record as { download_url?: unknown } | null)?.download_url;
    return typeof url === 'string' && url.length <= 4000 ? { url } : { reason: 'Resend gave no download address' };
  } catch (err) {
    return { reason: `Resend did not give it (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** A notice has one report and one returned message; a few more is already odd. */
const MAX_BOUNCE_PARTS = 4;

/** The first `maxBytes` of a download (the rest is not read), or null if it failed. */
async function firstBytes(url: string, maxBytes: number, allowHttp: boolean): Promise<Uint8Array | null> {
  if (!url.startsWith('https:') && !(allowHttp && url.startsWith('http:'))) return null;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      return null;
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    const reader = res.body.getReader();
    while (length < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.byteLength;
    }
    await reader.cancel();
    return Buffer.concat(chunks).subarray(0, maxBytes);
  } catch {
    return null;
  }
}

/**
 * The delivery report and returned message of a bounce that came through Resend, which lists them
 * as attachments: their first bytes only (the headers are what say which email bounced). Parts it
 * cannot fetch are left out; the bounce is then read from its text alone.
 */
export async function fetchResendBounceParts(resend: ResendSource, email: InboundEmail): Promise<FetchedBouncePart[]> {
  const allowHttp = resend.api.baseUrl.startsWith('http:');
  const refs = (email.resendAttachments ?? []).filter((ref) => isBouncePartType(ref.mimeType)).slice(0, MAX_BOUNCE_PARTS);
  const fetched = await Promise.all(
    refs.map(async (ref) => {
      const found = ref.downloadUrl ? { url: ref.downloadUrl } : await resendDownloadUrl(resend, ref.id);
      const bytes = 'url' in found ? await firstBytes(found.url, RETURNED_BYTES, allowHttp) : null;
      return bytes ? [{ mimeType: ref.mimeType!, bytes }] : [];
    }),
  );
  return fetched.flat();
}

export async function keepEmailFiles(attachments: Attachments, email: InboundEmail, resend: ResendSource | null): Promise<PreparedFile[]> {
  const budget = attachments.budget();
  const prepared = await attachments.keep(email.files ?? [], budget);
  if (!resend) return prepared;
  // Resend's own fakes in tests run on http; its API and CDN are https.
  const allowHttp = resend.api.baseUrl.startsWith('http:');
  for (const [i, ref] of (email.resendAttachments ?? []).entries()) {
    const index = prepared.length + i;
    const found = ref.downloadUrl ? { url: ref.downloadUrl } : await resendDownloadUrl(resend, ref.id);
    if ('reason' in found) {
      const entry = { type: 'file', name: ref.name ?? `attachment-${index + 1}`, notKept: found.reason };
      prepared.push({ entry: ref.mimeType ? { ...entry, mimeType: ref.mimeType } : entry, kept: null });
      continue;
    }
    prepared.push(
      await attachments.keepRemote({ url: found.url, name: ref.name, mimeType: ref.mimeType }, index, budget, {
        timeoutMs: DOWNLOAD_TIMEOUT_MS,
        allowHttp,
      }),
    );
  }
  return prepared;
}
