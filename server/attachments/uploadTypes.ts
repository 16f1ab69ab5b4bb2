// Which files visitors and agents may upload (PARLEY_UPLOAD_TYPES) and what an upload really is: the
// declared type is only a claim, so a type is accepted only when the file's first bytes agree with it
// (a renamed program is refused). It must never accept a type a browser could run (HTML, SVG, XML).
import { avatarImageType } from '../agents/avatarImage';
import { declaredType, DOCUMENT_TYPES, INLINE_IMAGE_TYPES } from './contentTypes';

/** What PARLEY_UPLOAD_TYPES defaults to: pictures, PDFs, plain text and common office documents. */
export const DEFAULT_UPLOAD_TYPES: readonly string[] = [...INLINE_IMAGE_TYPES, ...DOCUMENT_TYPES];

/** The signature family a type's bytes must show; a type missing here cannot be allowed at all. */
const SIGNATURES: Record<string, 'image' | 'pdf' | 'zip' | 'ole' | 'text'> = {
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'application/pdf': 'pdf',
  'text/plain': 'text',
  'text/csv': 'text',
  'application/zip': 'zip',
  'application/msword': 'ole',
  'application/vnd.ms-excel': 'ole',
  'application/vnd.ms-powerpoint': 'ole',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'zip',
  'application/vnd.oasis.opendocument.text': 'zip',
  'application/vnd.oasis.opendocument.spreadsheet': 'zip',
};

/** Types a browser may declare as application/octet-stream (or nothing): decided by the name's extension. */
const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

/**
 * PARLEY_UPLOAD_TYPES: comma-separated MIME types. Unknown types are an error at start-up rather
 * than a silent hole: only types whose bytes can be checked are accepted.
 */
export function parseUploadTypes(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [...DEFAULT_UPLOAD_TYPES];
  const types = raw.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const unknown = types.filter((t) => !Object.hasOwn(SIGNATURES, t));
  if (unknown.length > 0) {
    throw new Error(`PARLEY_UPLOAD_TYPES: cannot check ${unknown.join(', ')}; known: ${Object.keys(SIGNATURES).join(', ')}`);
  }
  return types;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text: valid UTF-8 without NUL bytes (programs and most binaries have both). */
function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function bytesMatch(family: (typeof SIGNATURES)[string], type: string, bytes: Uint8Array): boolean {
  switch (family) {
    case 'image':
      return avatarImageType(bytes) === type;
    case 'pdf':
      return startsWith(bytes, PDF);
    case 'zip':
      return startsWith(bytes, ZIP);
    case 'ole':
      return startsWith(bytes, OLE);
    case 'text':
      return isText(bytes);
  }
}

export type UploadVerdict = { ok: true; mimeType: string } | { ok: false; error: string };

/**
 * What an upload is: its declared type (or, when the browser said nothing useful, its name's
 * extension) must be allowed, and its bytes must look like that type.
 */
export function checkUpload(bytes: Uint8Array, declared: string | null | undefined, name: string, allowed: readonly string[]): UploadVerdict {
  let type = declaredType(declared);
  if (type === 'application/octet-stream') {
    const extension = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
    type = Object.hasOwn(BY_EXTENSION, extension) ? BY_EXTENSION[extension]! : type;
  }
  const family = Object.hasOwn(SIGNATURES, type) ? SIGNATURES[type] : undefined;
  if (!family || !allowed.includes(type)) return { ok: false, error: 'That type of file is not allowed here' };
  if (!bytesMatch(family, type, bytes)) return { ok: false, error: `That file is not really ${describe(type)}` };
  return { ok: true, mimeType: type };
}

function describe(type: string): string {
  const extension = Object.entries(BY_EXTENSION).find(([, t]) => t === type)?.[0];
  return extension ? `a .${extension} file` : type;
}
