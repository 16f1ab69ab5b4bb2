// Downloads a file that another service holds (a Messenger attachment on Meta's CDN, an email
// attachment in Resend) into the file store: https only, redirects followed by hand and only to
// https, bounded in bytes and time. It never throws for what the remote side does; it says why.
import { declaredType } from './contentTypes';
import { FileTooLargeError, type FileStore, type StoredFile } from './fileStore';

export interface RemoteFileOptions {
  maxBytes: number;
  /** The whole download, redirects and body included. */
  timeoutMs: number;
  /** Plain http too: only where the service itself is configured on http (the test fakes). */
  allowHttp?: boolean;
  headers?: Record<string, string>;
}

export type RemoteFileResult =
  | { ok: true; file: StoredFile; mimeType: string }
  | { ok: false; tooLarge: boolean; reason: string };

const MAX_REDIRECTS = 3;

export const sizeInWords = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;

function usableUrl(raw: string, base: string | undefined, allowHttp: boolean): URL | null {
  try {
    const url = new URL(raw, base);
    return url.protocol === 'https:' || (allowHttp && url.protocol === 'http:') ? url : null;
  } catch {
    return null;
  }
}

export async function fetchRemoteFile(store: FileStore, address: string, options: RemoteFileOptions): Promise<RemoteFileResult> {
  const failed = (reason: string, tooLarge = false): RemoteFileResult => ({ ok: false, tooLarge, reason });
  const tooLarge = () => failed(`larger than ${sizeInWords(options.maxBytes)}`, true);
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = usableUrl(address, undefined, options.allowHttp ?? false);
  try {
    for (let hops = 0; url; hops++) {
      const res = await fetch(url, { redirect: 'manual', signal, headers: options.headers });
      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        await res.body?.cancel();
        if (hops >= MAX_REDIRECTS) return failed('the download was redirected too often');
        url = usableUrl(res.headers.get('location')!, url.href, options.allowHttp ?? false);
        continue;
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        return failed(`the download failed (HTTP ${res.status})`);
      }
      if (Number(res.headers.get('content-length') ?? 0) > options.maxBytes) {
        await res.body.cancel();
        return tooLarge();
      }
      const file = await store.putStream(res.body as unknown as AsyncIterable<Uint8Array>, options.maxBytes);
      return { ok: true, file, mimeType: declaredType(res.headers.get('content-type')) };
    }
    return failed('its address is not https');
  } catch (err) {
    if (err instanceof FileTooLargeError) return tooLarge();
    if (signal.aborted) return failed(`the download took longer than ${options.timeoutMs / 1000} s`);
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    return failed(`the download failed (${cause})`);
  }
}
