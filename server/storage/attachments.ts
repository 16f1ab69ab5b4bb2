// What Parley keeps about files that messages carry: one row per message's copy of a file, naming
// the bytes by SHA-256 (the bytes themselves are in server/attachments/fileStore.ts). No SQL here;
// sqlite/attachments.ts is the implementation.
import type { Attachment } from '../../shared/protocol';

export interface AttachmentRow {
  id: number;
  sha256: string;
  byteLength: number;
  mimeType: string;
  name: string;
  messageId: number | null;
}

export type NewAttachmentRow = Pick<AttachmentRow, 'sha256' | 'byteLength' | 'mimeType' | 'name'>;

export interface AttachmentStore {
  /** A file kept for a message about to be stored; call inside that message's transaction. */
  record(file: NewAttachmentRow): Promise<number>;
  /** The message those files belong to, once it has an id (same transaction). */
  linkToMessage(ids: number[], messageId: number): Promise<void>;
  /** Rows recorded for a message that turned out to be stored already (its twin has its own). */
  forgetUnlinked(ids: number[]): Promise<void>;
  byId(id: number): Promise<AttachmentRow | null>;
  /** A message's attachment list, rewritten once a file it names has been fetched (or could not be). */
  setMessageAttachments(messageId: number, attachments: Attachment[]): Promise<void>;
}
