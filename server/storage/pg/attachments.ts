// The AttachmentStore (../attachments.ts) in PostgreSQL: the `attachments` table, and a message's JSON
// list of what it carries. The bytes are never in the database (server/attachments/fileStore.ts).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/open';
import { attachments, messages } from '../../db/pg/schema';
import type { AttachmentStore } from '../attachments';

export function pgAttachmentStore(db: PgDb): AttachmentStore {
  return {
    async record(file) {
      const [row] = await db.insert(attachments).values(file).returning({ id: attachments.id });
      return row!.id;
    },
    async linkToMessage(ids, messageId) {
      if (ids.length > 0) await db.update(attachments).set({ messageId }).where(inArray(attachments.id, ids));
    },
    async forgetUnlinked(ids) {
      if (ids.length > 0) await db.delete(attachments).where(and(inArray(attachments.id, ids), isNull(attachments.messageId)));
    },
    async byId(id) {
      const [row] = await db
        .select({
          id: attachments.id,
          sha256: attachments.sha256,
          byteLength: attachments.byteLength,
          mimeType: attachments.mimeType,
          name: attachments.name,
          messageId: attachments.messageId,
        })
        .from(attachments)
        .where(eq(attachments.id, id));
      return row ?? null;
    },
    async setMessageAttachments(messageId, list) {
      await db
        .update(messages)
        .set({ attachments: list.length > 0 ? JSON.stringify(list) : null })
        .where(eq(messages.id, messageId));
    },
  };
}
