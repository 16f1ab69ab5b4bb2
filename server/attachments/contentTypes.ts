// What a kept file is served as: a Content-Type from a fixed list (anything else is
// application/octet-stream), inline only for image types a browser cannot run, and a download name
// that is safe in a header. It must never serve a type a browser would execute (HTML, SVG, XML).
import type { Attachment } from '../../shared/protocol';

/** Shown in place (thumbnails, the image itself); every other type is a download. */
export const INLINE_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** PDFs, plain text and the common office formats: served as themselves, and uploadable by default. */
export const DOCUMENT_TYPES: readonly string[] = [
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
];

const SERVED_TYPES = new Set([
  ...INLINE_IMAGE_TYPES,
  ...DOCUMENT_TYPES,
  'application/zip',
  'text/calendar',
  'message/rfc822',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/ogg',
  'audio/wav',
  'video/mp4',
  'video/webm',
  'video/quicktime',
]);

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/;
const MAX_NAME_LENGTH = 200;

/** A declared type, lower-case without parameters, or application/octet-stream when it is not one. */
export function declaredType(raw: string | null | undefined): string {
  const type = (raw ?? '').split(';')[0]!.trim().toLowerCase();
  return MIME_TYPE.test(type) ? type : 'application/octet-stream';
}

export const servedType = (mimeType: string): string => (SERVED_TYPES.has(mimeType) ? mimeType : 'application/octet-stream');

export const isInlineImage = (mimeType: string): boolean => INLINE_IMAGE_TYPES.includes(mimeType);

/** How the inbox shows it: a thumbnail, a player-less media file, a forwarded email, or a file. */
export function attachmentKind(mimeType: string): Attachment['type'] {
  if (isInlineImage(mimeType)) return 'image';
  if (mimeType === 'message/rfc822') return 'message';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'file';
}

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
  'video/mp4': '.mp4',
  'audio/mpeg': '.mp3',
  'audio/mp4': '.m4a',
  'message/rfc822': '.eml',
};

/** The usual extension of a type, for a file whose sender gave no name ('' if none is usual). */
export const extensionOf = (mimeType: string): string => (Object.hasOwn(EXTENSIONS, mimeType) ? EXTENSIONS[mimeType]! : '');

/** A sender's file name, without control characters or path separators, bounded; `fallback` if empty. */
export function safeName(raw: string | null | undefined, fallback: string): string {
  // Control characters, bidi overrides and path separators: never part of a name we show or send.
  // eslint-disable-next-line no-control-regex
  const cleaned = (raw ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069/\\]/g, '_').trim();
  const name = cleaned.replace(/^\.+/, '') || fallback;
  return [...name].slice(0, MAX_NAME_LENGTH).join('');
}

/**
 * The Content-Disposition of a download: inline for safe images, else attachment; the name as an
 * ASCII fallback and as UTF-8 (RFC 6266 / RFC 5987).
 */
export function contentDisposition(name: string, mimeType: string): string {
  const withExtension = mimeType === 'message/rfc822' && !/\.eml$/i.test(name) ? `${name}.eml` : name;
  const ascii = withExtension.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(withExtension).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${isInlineImage(mimeType) ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
