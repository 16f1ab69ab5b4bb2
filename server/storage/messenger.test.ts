// The MessengerStore's behaviour, the same on every engine (testing/engines.ts), and on PostgreSQL
// what must hold with several processes receiving at once.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Attachment, DeliveryState } from '../../shared/protocol';
import type { NewMessage } from './conversations';
import type { Storage } from './index';
import { storageEngines } from './testing/engines';

for (const engine of storageEngines()) {
  describe(`Messenger on ${engine.name}`, () => {
    let storage: Storage;
    let agentId: number;
    let webConversationId: number;

    beforeEach(async () => {
      ({ agentId, conversationId: webConversationId, ...storage } = await engine.open());
    }, 120_000);
    afterAll(() => engine.close());

    const conversationOf = (psid: string, now = 5000) => storage.transaction((tx) => tx.messenger.conversationOfPsid(psid, now));
    const store = async (message: NewMessage) => (await storage.transaction((tx) => tx.conversations.insertMessage(message))).message.id;
    const reply = (conversationId: number, deliveryState: DeliveryState, now: number, externalId?: string) =>
      store({ conversationId, author: 'agent', agentId, body: `reply at ${now}`, channel: 'messenger', deliveryState, externalId, now });

    it('gives a new sender a participant and a conversation, and the same ones on their next message', async () => {
      const first = await conversationOf('psid-1', 5000);
      expect(first.participant).toMatchObject({ kind: 'messenger', messengerPsid: 'psid-1', lastSeenAt: 5000, name: null, contactId: null });
      expect(first.conversation).toMatchObject({ visitorId: first.participant.id, status: 'open', lastMessageAt: 5000, createdAt: 5000 });

      const again = await conversationOf('psid-1', 9000);
      expect(again.participant.id).toBe(first.participant.id);
      expect(again.conversation.id).toBe(first.conversation.id);
      const other = await conversationOf('psid-2', 9000);
      expect(other.participant.id).not.toBe(first.participant.id);
      expect(other.conversation.id).not.toBe(first.conversation.id);
    });

    it('knows the conversation of a sender seen before, and of no one else', async () => {
      const { conversation } = await conversationOf('psid-1');
      expect(await storage.messenger.knownConversationOfPsid('psid-1')).toEqual(conversation);
      expect(await storage.messenger.knownConversationOfPsid('psid-never-seen')).toBeNull();
    });

    it("names the participant as their Messenger profile says", async () => {
      const { participant } = await conversationOf('psid-1');
      await storage.messenger.setParticipantName(participant.id, 'Grace Hopper');
      expect((await conversationOf('psid-1')).participant.name).toBe('Grace Hopper');
      expect((await storage.conversations.summary((await conversationOf('psid-1')).conversation.id, () => false))?.title).toBe('Grace Hopper');
    });

    it('sends replies to the PSID of a Messenger conversation, and nowhere for other conversations', async () => {
      const { conversation } = await conversationOf('psid-1');
      expect(await storage.messenger.psidOfConversation(conversation.id)).toBe('psid-1');
      expect(await storage.messenger.psidOfConversation(webConversationId)).toBeNull();
      expect(await storage.messenger.psidOfConversation(conversation.id + 1000)).toBeNull();
    });

    it('moves forward our replies a delivery report covers by time or names by mid, never backwards', async () => {
      const { conversation } = await conversationOf('psid-1', 1000);
      const id = conversation.id;
      const early = await reply(id, 'sent', 2000, 'mid.early');
      const late = await reply(id, 'sent', 4000, 'mid.late');
      const alreadyRead = await reply(id, 'read', 1500, 'mid.read');
      const delivered = await reply(id, 'delivered', 1800, 'mid.delivered');
      const failed = await reply(id, 'failed', 1900, 'mid.failed');
      await store({ conversationId: id, author: 'visitor', body: 'thanks', channel: 'messenger', externalId: 'mid.theirs', deliveryState: 'sent', now: 2500 });
      const elsewhere = await conversationOf('psid-2', 1000);
      await reply(elsewhere.conversation.id, 'sent', 2000, 'mid.elsewhere');

      expect(await storage.messenger.messagesReportedOn({ conversationId: id, state: 'delivered', watermark: 3000 })).toEqual([early]);
      expect(await storage.messenger.messagesReportedOn({ conversationId: id, state: 'delivered', watermark: 3000, mids: ['mid.late', 'mid.elsewhere'] })).toEqual([early, late]);
      expect(await storage.messenger.messagesReportedOn({ conversationId: id, state: 'read', watermark: 3000 })).toEqual([early, delivered]);
      expect(await storage.messenger.messagesReportedOn({ conversationId: id, state: 'read', watermark: 0, mids: ['mid.read', 'mid.failed', 'mid.late'] })).toEqual([late]);
      expect(await storage.messenger.messagesReportedOn({ conversationId: id, state: 'read', watermark: 0, mids: [] })).toEqual([]);
      void alreadyRead;
      void failed;
    });

    it('lists the Messenger replies a restart interrupted while they were queued', async () => {
      const { conversation } = await conversationOf('psid-1');
      const queued = await reply(conversation.id, 'queued', 2000);
      await reply(conversation.id, 'sent', 2100, 'mid.sent');
      const queuedToo = await reply(conversation.id, 'queued', 2200);
      await store({ conversationId: webConversationId, author: 'agent', agentId, body: 'by email', channel: 'email', deliveryState: 'queued', now: 2300 });
      expect(await storage.messenger.queuedReplies(3000)).toEqual([queued, queuedToo]);
      // One queued since is still being sent (by this process or another): not interrupted.
      expect(await storage.messenger.queuedReplies(2200)).toEqual([queued]);
    });

    it("lists recent Messenger messages whose files still point at Meta's addresses", async () => {
      const { conversation } = await conversationOf('psid-1');
      const atMeta: Attachment[] = [{ type: 'image', url: 'https://scontent.xx.fbcdn.net/v/photo.jpg' }];
      const copied: Attachment[] = [{ type: 'image', url: `/files/${'c'.repeat(64)}`, name: 'photo.jpg' }];
      const waiting = await store({ conversationId: conversation.id, author: 'visitor', body: '', channel: 'messenger', externalId: 'mid.1', attachments: atMeta });
      await store({ conversationId: conversation.id, author: 'visitor', body: '', channel: 'messenger', externalId: 'mid.2', attachments: copied });
      await store({ conversationId: conversation.id, author: 'visitor', body: 'no files', channel: 'messenger', externalId: 'mid.3' });
      await store({ conversationId: webConversationId, author: 'visitor', body: '', attachments: atMeta });
      expect(await storage.messenger.filesAwaitingCopies()).toEqual([{ id: waiting, attachments: atMeta }]);

      await storage.attachments.setMessageAttachments(waiting, copied);
      expect(await storage.messenger.filesAwaitingCopies()).toEqual([]);
    });

    if (engine.name === 'PostgreSQL') {
      it('makes one participant and one conversation when two processes receive a new sender\'s first messages at once', async () => {
        for (const psid of ['psid-race-1', 'psid-race-2', 'psid-race-3']) {
          // Both transactions are open before either asks, as in two processes.
          let begun = 0;
          let bothBegun!: () => void;
          const together = new Promise<void>((resolve) => (bothBegun = resolve));
          const receive = (now: number) =>
            storage.transaction(async (tx) => {
              await tx.settings.get('anything');
              if (++begun === 2) bothBegun();
              await together;
              return tx.messenger.conversationOfPsid(psid, now);
            });
          const [one, two] = await Promise.all([receive(5000), receive(5001)]);
          expect(two.participant.id).toBe(one.participant.id);
          expect(two.conversation.id).toBe(one.conversation.id);
          expect((await storage.messenger.knownConversationOfPsid(psid))?.id).toBe(one.conversation.id);
        }
      });
    }
  });
}
