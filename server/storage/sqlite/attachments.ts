// The AttachmentStore (../attachments.ts) in SQLite: the `attachments` table, and a message's JSON
// list of what it carries. The bytes are never in the database (server/attachments/fileStore.ts).
import type { Synchronous } from './asyncStores';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { schema, type Db } from '../../db';
import type { AttachmentStore } from '../attachments';

const { attachments, messages } = schema;

export function sqliteAttachmentStore(db: Db): Synchronous<AttachmentStore> {
  return {
    record: (file) => db.insert(attachments).values(file).returning({ id: attachments.id }).get().id,
    linkToMessage(ids, messageId) {
      if (ids.length > 0) db.update(attachments).set({ messageId }).where(inArray(attachments.id, ids)).run();
    },
    forgetUnlinked(ids) {
      if (ids.length > 0) db.delete(attachments).where(and(inArray(attachments.id, ids), isNull(attachments.messageId))).run();
    },
    byId: (id) =>
      db
        .select({
          id: attachments.id,
          sha256: attachments.sha256,
          byteLength: attachments.byteLength,
          mimeType: attachments.mimeType,
          name: attachments.name,
          messageId: attachments.messageId,
        })
        .from(attachments)
        .where(eq(attachments.id, id))
        .get() ?? null,
    setMessageAttachments(messageId, list) {
      db.update(messages).set({ attachments: list.length > 0 ? JSON.stringify(list) : null }).where(eq(messages.id, messageId)).run();
    },
  };
}
