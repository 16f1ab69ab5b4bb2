// The AttachmentStore's behaviour, the same on every engine (testing/engines.ts).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Attachment } from '../../shared/protocol';
import type { Storage } from './index';
import { storageEngines } from './testing/engines';

const PHOTO = { sha256: 'a'.repeat(64), byteLength: 1234, mimeType: 'image/jpeg', name: 'photo.jpg' };
const INVOICE = { sha256: 'b'.repeat(64), byteLength: 99, mimeType: 'application/pdf', name: 'invoice.pdf' };

for (const engine of storageEngines()) {
  describe(`attachments on ${engine.name}`, () => {
    let storage: Storage;
    let conversationId: number;

    beforeEach(async () => {
      ({ conversationId, ...storage } = await engine.open());
    }, 120_000);
    afterAll(() => engine.close());

    const storeMessage = async (attachments: Attachment[] | null = null) =>
      (await storage.transaction((tx) => tx.conversations.insertMessage({ conversationId, author: 'visitor', body: 'see attached', attachments, now: 2000 }))).message.id;

    it('reads a recorded file back by its id, belonging to no message until one is stored', async () => {
      const id = await storage.transaction((tx) => tx.attachments.record(PHOTO));
      expect(await storage.attachments.byId(id)).toEqual({ id, ...PHOTO, messageId: null });
      expect(await storage.attachments.byId(id + 1000)).toBeNull();
    });

    it('links files to their message, and forgets only the ones no message took', async () => {
      const [photo, invoice, twin] = await storage.transaction(async (tx) => [
        await tx.attachments.record(PHOTO),
        await tx.attachments.record(INVOICE),
        await tx.attachments.record(PHOTO),
      ]);
      const messageId = await storeMessage();
      await storage.transaction(async (tx) => {
        await tx.attachments.linkToMessage([photo!, invoice!], messageId);
        await tx.attachments.linkToMessage([], messageId);
      });
      await storage.attachments.forgetUnlinked([photo!, invoice!, twin!]);
      await storage.attachments.forgetUnlinked([]);

      expect(await storage.attachments.byId(photo!)).toEqual({ id: photo, ...PHOTO, messageId });
      expect(await storage.attachments.byId(invoice!)).toEqual({ id: invoice, ...INVOICE, messageId });
      expect(await storage.attachments.byId(twin!)).toBeNull();
    });

    it("rewrites a message's list of files once one is fetched, and clears it when none is left", async () => {
      const messageId = await storeMessage([{ type: 'image', url: 'https://cdn.example/photo.jpg', name: 'photo.jpg' }]);
      const fetched: Attachment[] = [
        { type: 'image', url: `/files/${'a'.repeat(64)}`, name: 'photo.jpg', mimeType: 'image/jpeg', size: 1234 },
        { type: 'file', url: '', name: 'huge.zip', notKept: 'over the size cap' },
      ];
      await storage.attachments.setMessageAttachments(messageId, fetched);
      expect((await storage.conversations.messageById(messageId))?.attachments).toEqual(fetched);

      await storage.attachments.setMessageAttachments(messageId, []);
      expect((await storage.conversations.messageById(messageId))?.attachments ?? null).toBeNull();
    });
  });
}
