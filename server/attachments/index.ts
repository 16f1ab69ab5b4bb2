// The one file store all channels share: files a message carried are kept under the data folder
// (fileStore.ts), recorded with their message in its transaction, and downloaded by signed-in
// agents at /api/attachments/:id. Over a cap a file is not kept, and the message's entry says which
// and why. Channels call it; it never stores or fans out messages itself.
import type { Attachment } from '../../shared/protocol';
import type { AttachmentRow, NewAttachmentRow, Storage, Stores } from '../storage';
import { attachmentKind, declaredType, extensionOf, safeName } from './contentTypes';
import { FileStore } from './fileStore';
import { fetchRemoteFile, sizeInWords, type RemoteFileOptions } from './remoteFile';

export { FileStore } from './fileStore';
export { serveKeptFile } from './serveKeptFile';
export { contentDisposition, isInlineImage, servedType } from './contentTypes';

export interface AttachmentLimits {
  /** PARLEY_ATTACHMENT_MAX_BYTES: one file. */
  maxFileBytes: number;
  /** PARLEY_ATTACHMENTS_MAX_BYTES_PER_MESSAGE: all files of one message together. */
  maxMessageBytes: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxFileBytes: 10 * 1024 * 1024, maxMessageBytes: 25 * 1024 * 1024 };

/** A file a message arrived with, as its channel read it. */
export interface IncomingFile {
  name: string | null;
  mimeType: string;
  bytes: Uint8Array;
  /** Hex SHA-256, when the reader already computed it off the event loop (the mail reader). */
  sha256?: string;
  /** A forwarded email: its subject (the name shown) and readable text. */
  forwarded?: { subject: string; text: string };
}

/** What a file becomes on its message: its entry, and the row to record if its bytes were kept. */
export interface PreparedFile {
  entry: Omit<Attachment, 'url'>;
  kept: NewAttachmentRow | null;
}

/** The bytes one message has kept so far, against the per-file and per-message caps. */
export class MessageBudget {
  private used = 0;
  constructor(private readonly limits: AttachmentLimits) {}

  /** The most the next file may have. */
  get room(): number {
    return Math.max(0, Math.min(this.limits.maxFileBytes, this.limits.maxMessageBytes - this.used));
  }

  /** Why a file of `size` bytes is not kept, or null when it fits (and is then counted). */
  refusal(size: number): string | null {
    if (size > this.limits.maxFileBytes) return `larger than ${sizeInWords(this.limits.maxFileBytes)}, the limit per file`;
    if (this.used + size > this.limits.maxMessageBytes) {
      return `the message's files together are over ${sizeInWords(this.limits.maxMessageBytes)}, the limit per message`;
    }
    this.used += size;
    return null;
  }
}

export const downloadUrl = (id: number) => `/api/attachments/${id}`;

/** A kept file's entry on the message that carries it (an agent's upload, linked by its reply). */
export const attachmentEntry = (row: AttachmentRow): Attachment => ({
  ...entryOf(row.name, row.mimeType, row.byteLength, 0),
  url: downloadUrl(row.id),
});

/** The entry for a file of `name` and `mimeType`: how the inbox shows it. */
function entryOf(name: string | null, mimeType: string, size: number | undefined, index: number, kind = 'attachment'): Omit<Attachment, 'url'> {
  const fallback = `${kind === 'image' ? 'photo' : kind}-${index + 1}${extensionOf(mimeType)}`;
  const entry: Omit<Attachment, 'url'> = { type: attachmentKind(mimeType), name: safeName(name, fallback), mimeType };
  if (size !== undefined) entry.size = size;
  return entry;
}

export interface RemoteFile {
  url: string;
  name: string | null;
  /** What the sender declared; the download's own Content-Type is used when this is unknown. */
  mimeType: string | null;
  /** Meta's kind (image, video, …), kept for the inbox when the type says nothing more. */
  kind?: string;
}

export type Attachments = ReturnType<typeof createAttachments>;

export function createAttachments(deps: { storage: Storage; folder: string; limits: AttachmentLimits }) {
  const { storage, limits } = deps;
  const files = new FileStore(deps.folder);

  return {
    limits,
    files,
    budget: () => new MessageBudget(limits),

    /** Writes each file within the caps to disk; resolves once they are all durable. */
    async keep(incoming: IncomingFile[], budget = new MessageBudget(limits)): Promise<PreparedFile[]> {
      const prepared: PreparedFile[] = [];
      for (const [index, file] of incoming.entries()) {
        const mimeType = declaredType(file.mimeType);
        const entry = entryOf(file.forwarded?.subject || file.name, mimeType, file.bytes.byteLength, index);
        if (file.forwarded) entry.text = file.forwarded.text;
        const refusal = budget.refusal(file.bytes.byteLength);
        if (refusal) {
          prepared.push({ entry: { ...entry, notKept: refusal }, kept: null });
          continue;
        }
        const stored = await files.put(file.bytes, file.sha256);
        prepared.push({ entry, kept: { ...stored, mimeType, name: entry.name! } });
      }
      return prepared;
    },

    /** Downloads a file another service holds (bounded by the budget's room) and prepares its entry. */
    async keepRemote(remote: RemoteFile, index: number, budget: MessageBudget, options: Omit<RemoteFileOptions, 'maxBytes'>): Promise<PreparedFile> {
      const room = budget.room;
      const fetched = await fetchRemoteFile(files, remote.url, { ...options, maxBytes: room });
      const declared = remote.mimeType ? declaredType(remote.mimeType) : null;
      if (!fetched.ok) {
        const entry = entryOf(remote.name, declared ?? 'application/octet-stream', undefined, index, remote.kind);
        if (!declared) {
          // Nothing was downloaded to tell the type: the sender's word for its kind is all there is.
          delete entry.mimeType;
          if (remote.kind) entry.type = remote.kind;
        }
        // Over the room left: say which cap it passed.
        const reason = fetched.tooLarge ? (budget.refusal(room + 1) ?? fetched.reason) : fetched.reason;
        return { entry: { ...entry, notKept: reason }, kept: null };
      }
      const mimeType = declared && declared !== 'application/octet-stream' ? declared : fetched.mimeType;
      const refusal = budget.refusal(fetched.file.byteLength);
      const entry = entryOf(remote.name, mimeType, fetched.file.byteLength, index, remote.kind);
      if (refusal) return { entry: { ...entry, notKept: refusal }, kept: null };
      return { entry, kept: { ...fetched.file, mimeType, name: entry.name! } };
    },

    /** The kept bytes behind a message's entry (its url names the row), for a channel sending the file on. */
    async contentOf(entry: Attachment): Promise<{ name: string; mimeType: string; bytes: Buffer } | null> {
      const id = /^\/api\/attachments\/(\d{1,15})$/.exec(entry.url)?.[1];
      const row = id ? await storage.attachments.byId(Number(id)) : null;
      if (!row || !(await files.has(row.sha256))) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of files.read(row.sha256)) chunks.push(chunk as Buffer);
      return { name: row.name, mimeType: row.mimeType, bytes: Buffer.concat(chunks) };
    },

    /**
     * A row per kept file; the message's list, and the rows to link to it. `tx`: the message's
     * transaction; omitted for a file recorded before its message exists (an agent's upload).
     */
    async record(prepared: PreparedFile[], tx: Stores = storage): Promise<{ attachments: Attachment[]; ids: number[] }> {
      const ids: number[] = [];
      const attachments: Attachment[] = [];
      for (const { entry, kept } of prepared) {
        if (!kept) {
          attachments.push({ ...entry, url: '' });
          continue;
        }
        const id = await tx.attachments.record(kept);
        ids.push(id);
        attachments.push({ ...entry, url: downloadUrl(id) });
      }
      return { attachments, ids };
    },
  };
}
