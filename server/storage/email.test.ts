// The EmailStore's behaviour, the same on every engine (testing/engines.ts): the outbox and its claims,
// follow-up timers, reply tokens and Message-ID threading, contacts, inbound emails and their raw
// sources; and on PostgreSQL, where several processes share the database, that claims, follow-ups and
// contacts hold when two of them ask at once.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewMessage } from './conversations';
import type { NewOutboxRow } from './email';
import { storageEngines, type EngineStores } from './testing/engines';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every byte value, then a pattern long enough to span many chunks on either engine. */
const everyByte = () => Uint8Array.from({ length: 256 }, (_, i) => i);
const bytesOf = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7919) % 251);
const same = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b));

for (const engine of storageEngines()) {
  describe(`email storage on ${engine.name}`, () => {
    let storage: EngineStores;
    let conversationId: number;

    beforeEach(async () => {
      storage = await engine.open();
      ({ conversationId } = storage);
    }, 120_000);
    afterAll(() => engine.close());

    const email = (overrides: Partial<NewOutboxRow> & { messageIdHeader: string }): NewOutboxRow => ({
      conversationId,
      kind: 'reply',
      toAddress: 'vera@example.com',
      subject: `About ${overrides.messageIdHeader}`,
      html: '<p>Hello</p>',
      text: 'Hello',
      replyTo: 'reply+token@in.example.test',
      nextAttemptAt: 1000,
      createdAt: 1000,
      ...overrides,
    });

    const say = (message: Omit<NewMessage, 'conversationId'> & { conversationId?: number }) =>
      storage.transaction((tx) => tx.conversations.insertMessage({ conversationId, ...message }));
    const newConversation = async (now = 1000) => {
      const { visitor } = await storage.conversations.createVisitor(now);
      return (await storage.conversations.createConversation(visitor.id, now)).id;
    };

    describe('the outbox', () => {
      it('hands out due emails first-due first, then in queue order, and never one not yet due or no longer queued', async () => {
        await storage.email.queueEmail(email({ messageIdHeader: '<later@x>', nextAttemptAt: 3000 }));
        await storage.email.queueEmail(email({ messageIdHeader: '<first@x>', nextAttemptAt: 2000 }));
        await storage.email.queueEmail(email({ messageIdHeader: '<second@x>', nextAttemptAt: 2000 }));
        await storage.email.queueEmail(email({ messageIdHeader: '<tomorrow@x>', nextAttemptAt: 90_000 }));
        await storage.email.queueEmail(email({ messageIdHeader: '<done@x>', nextAttemptAt: 1000, status: 'sent' }));
        const claimed = [];
        for (let row = await storage.email.claimDueEmail(5000, 60_000); row; row = await storage.email.claimDueEmail(5000, 60_000)) {
          claimed.push(row.messageIdHeader);
        }
        expect(claimed).toEqual(['<first@x>', '<second@x>', '<later@x>']);
      });

      it('holds a claimed email for its lease: no one else claims it until the lease is over, then it comes due again', async () => {
        const queued = await storage.email.queueEmail(email({ messageIdHeader: '<one@x>', nextAttemptAt: 1000 }));
        expect(queued).toMatchObject({ id: queued.id, status: 'queued', attempts: 0, nextAttemptAt: 1000, createdAt: 1000 });

        const claimed = await storage.email.claimDueEmail(1000, 60_000);
        expect(claimed).toEqual({ ...queued, nextAttemptAt: 61_000 });
        expect(await storage.email.claimDueEmail(1000, 60_000)).toBeNull();
        expect(await storage.email.claimDueEmail(60_999, 60_000)).toBeNull();
        // The worker that claimed it died: once the lease is over another one takes it.
        expect((await storage.email.claimDueEmail(61_000, 60_000))?.id).toBe(queued.id);
      });

      it('ends a lease when the outcome is recorded: a sent email is never claimed again', async () => {
        const queued = await storage.email.queueEmail(email({ messageIdHeader: '<one@x>' }));
        await storage.email.claimDueEmail(1000, 60_000);
        const sent = await storage.email.updateOutboxEmail(queued.id, { status: 'sent', sentAt: 1500, attempts: 1, providerId: 're_1' });
        expect(sent).toMatchObject({ id: queued.id, status: 'sent', sentAt: 1500, attempts: 1, providerId: 're_1', subject: queued.subject });
        expect(await storage.email.claimDueEmail(10_000_000, 60_000)).toBeNull();
      });

      it('lists emails newest first, a page at a time', async () => {
        const ids = [];
        for (let i = 0; i < 5; i++) ids.push((await storage.email.queueEmail(email({ messageIdHeader: `<m${i}@x>` }))).id);
        const page = await storage.email.outboxNewestFirst({ limit: 2 });
        expect(page.map((row) => row.id)).toEqual([ids[4], ids[3]]);
        const next = await storage.email.outboxNewestFirst({ before: ids[3], limit: 10 });
        expect(next.map((row) => row.id)).toEqual([ids[2], ids[1], ids[0]]);
      });

      it('counts the emails that went to an address since a time', async () => {
        await storage.email.queueEmail(email({ messageIdHeader: '<a@x>', createdAt: 1000 }));
        await storage.email.queueEmail(email({ messageIdHeader: '<b@x>', createdAt: 2000 }));
        await storage.email.queueEmail(email({ messageIdHeader: '<c@x>', createdAt: 3000 }));
        await storage.email.queueEmail(email({ messageIdHeader: '<d@x>', createdAt: 3000, toAddress: 'other@example.com' }));
        expect(await storage.email.emailsSentToSince('vera@example.com', 1000)).toBe(2);
        expect(await storage.email.emailsSentToSince('vera@example.com', 0)).toBe(3);
        expect(await storage.email.emailsSentToSince('nobody@example.com', 0)).toBe(0);
      });

      it('finds the newest email sent with one of some Message-IDs, or by its provider id (what bounces and events name)', async () => {
        const first = await storage.email.queueEmail(email({ messageIdHeader: '<a@x>', providerId: 're_a' }));
        const second = await storage.email.queueEmail(email({ messageIdHeader: '<b@x>', providerId: 're_b' }));
        expect((await storage.email.outboxByMessageIds(['<a@x>', '<b@x>', '<unknown@x>']))?.id).toBe(second.id);
        expect((await storage.email.outboxByMessageIds(['<a@x>']))?.id).toBe(first.id);
        expect(await storage.email.outboxByMessageIds(['<unknown@x>'])).toBeNull();
        expect(await storage.email.outboxByMessageIds([])).toBeNull();
        expect(await storage.email.outboxByProviderId('re_a')).toEqual(first);
        expect(await storage.email.outboxByProviderId('re_zzz')).toBeNull();
      });
    });

    describe('threading', () => {
      it("finds a conversation by its reply token, which it has only once its first email set it", async () => {
        expect(await storage.email.replyToken(conversationId)).toBeNull();
        await storage.email.setReplyToken(conversationId, 'tok3n');
        expect(await storage.email.replyToken(conversationId)).toBe('tok3n');
        expect(await storage.email.conversationByReplyToken('tok3n')).toBe(conversationId);
        expect(await storage.email.conversationByReplyToken('other')).toBeNull();
      });

      it('refuses a reply token another conversation already has', async () => {
        const other = await newConversation();
        await storage.email.setReplyToken(conversationId, 'tok3n');
        await expect(storage.email.setReplyToken(other, 'tok3n')).rejects.toThrow();
        expect(await storage.email.conversationByReplyToken('tok3n')).toBe(conversationId);
      });

      it('threads an answer by the Message-ID of an email we sent', async () => {
        await storage.email.queueEmail(email({ messageIdHeader: '<ours@x>' }));
        expect(await storage.email.conversationByMessageIds(['<unknown@x>', '<ours@x>'])).toBe(conversationId);
        expect(await storage.email.conversationByMessageIds(['<unknown@x>'])).toBeNull();
        expect(await storage.email.conversationByMessageIds([])).toBeNull();
      });

      it('threads an answer by the Message-ID of an email we received, whoever sent it, but not by one it only starts with', async () => {
        const other = await newConversation();
        const externalId = await storage.email.inboundExternalId('<theirs@x>', 'vera@example.com');
        expect(externalId).toBe('<theirs@x> vera@example.com');
        await say({ conversationId: other, author: 'visitor', channel: 'email', body: 'Hi', externalId, now: 2000 });
        // Stored before ids were scoped to their sender: the bare Message-ID.
        await say({ author: 'visitor', channel: 'email', body: 'Old', externalId: '<old@x>', now: 2000 });
        expect(await storage.email.conversationByMessageIds(['<theirs@x>'])).toBe(other);
        expect(await storage.email.conversationByMessageIds(['<old@x>'])).toBe(conversationId);
        expect(await storage.email.conversationByMessageIds(['<theirs@'])).toBeNull();
        expect(await storage.email.conversationByMessageIds(['<theirs@x'])).toBeNull();
        expect(await storage.email.conversationByMessageIds(['<theirs@x> vera'])).toBeNull();
        // The newest of those that match, when several conversations have one.
        await say({ author: 'visitor', channel: 'email', body: 'Again', externalId: '<theirs@x> other@example.com', now: 3000 });
        expect(await storage.email.conversationByMessageIds(['<theirs@x>'])).toBe(conversationId);
      });

      it("lists the Message-IDs the conversation's email exchange has used, oldest first", async () => {
        await storage.email.queueEmail(email({ messageIdHeader: '<sent-2@x>', createdAt: 2000 }));
        await say({ author: 'visitor', channel: 'email', body: 'First', externalId: '<got-1@x> vera@example.com', now: 1000 });
        await say({ author: 'visitor', channel: 'email', body: 'Third', externalId: '<got-3@x> vera@example.com', now: 3000 });
        await storage.email.queueEmail(email({ messageIdHeader: '<sent-4@x>', createdAt: 4000 }));
        await say({ author: 'agent', agentId: storage.agentId, body: 'A chat reply', now: 5000 });
        expect(await storage.email.earlierMessageIds(conversationId)).toEqual(['<got-1@x>', '<sent-2@x>', '<got-3@x>', '<sent-4@x>']);
      });

      it('lists only sent Message-IDs while nothing was received, oldest first', async () => {
        await storage.email.queueEmail(email({ messageIdHeader: '<b@x>', createdAt: 2000 }));
        await storage.email.queueEmail(email({ messageIdHeader: '<a@x>', createdAt: 1000 }));
        expect(await storage.email.earlierMessageIds(conversationId)).toEqual(['<a@x>', '<b@x>']);
        expect(await storage.email.earlierMessageIds(conversationId + 1000)).toEqual([]);
      });

      it('tells whether a Message-ID is an email we sent to that address in that conversation', async () => {
        await storage.email.queueEmail(email({ messageIdHeader: '<ours@x>' }));
        expect(await storage.email.sentTo(conversationId, 'vera@example.com', ['<other@x>', '<ours@x>'])).toBe(true);
        expect(await storage.email.sentTo(conversationId, 'mallory@example.com', ['<ours@x>'])).toBe(false);
        expect(await storage.email.sentTo(conversationId + 1000, 'vera@example.com', ['<ours@x>'])).toBe(false);
        expect(await storage.email.sentTo(conversationId, 'vera@example.com', [])).toBe(false);
      });
    });

    describe('inbound emails', () => {
      it("keeps an email's headers and text beside the message it became, for \"Show original\"", async () => {
        const { message } = await say({ author: 'visitor', channel: 'email', body: 'Hi', externalId: '<in@x> vera@example.com' });
        const sourceId = await storage.email.storeRawSource(new TextEncoder().encode('Subject: Help\r\n\r\nHi'));
        await storage.transaction((tx) =>
          tx.email.recordInboundEmail({
            messageId: message.id,
            messageIdHeader: '<in@x>',
            fromAddress: 'vera@example.com',
            subject: 'Help',
            originalText: 'Hi',
            rawSourceId: sourceId,
            threadedBy: 'new',
          }),
        );
        expect(await storage.email.inboundEmailOf(message.id)).toEqual({ subject: 'Help', originalText: 'Hi', rawSourceId: sourceId });
        const { message: chat } = await say({ author: 'agent', agentId: storage.agentId, body: 'Hello' });
        expect(await storage.email.inboundEmailOf(chat.id)).toBeNull();
      });

      it('gives the subject of the newest email a person sent, passing over auto-replies', async () => {
        expect(await storage.email.latestInboundSubject(conversationId)).toBeNull();
        const record = async (subject: string, automatic: boolean) => {
          const { message } = await say({ author: 'visitor', channel: 'email', body: subject, externalId: `<${subject}@x>`, automatic });
          await storage.email.recordInboundEmail({
            messageId: message.id,
            messageIdHeader: `<${subject}@x>`,
            fromAddress: 'vera@example.com',
            subject,
            originalText: subject,
            threadedBy: 'header',
          });
        };
        await record('Order 1', false);
        await record('Order 2', false);
        await record('Out of office', true);
        expect(await storage.email.latestInboundSubject(conversationId)).toBe('Order 2');
      });
    });

    describe('raw sources', () => {
      it('gives back exactly the bytes that arrived, every byte value included', async () => {
        const original = everyByte();
        const id = await storage.email.storeRawSource(original);
        const kept = await storage.email.rawSourceBytes(id);
        expect(kept).toBeInstanceOf(Uint8Array);
        expect(kept?.length).toBe(256);
        expect(same(kept, original)).toBe(true);
      });

      it('gives back a large email whole, across many chunks', async () => {
        const original = bytesOf(2_500_003);
        const id = await storage.email.storeRawSource(original);
        expect(same(await storage.email.rawSourceBytes(id), original)).toBe(true);
      });

      it('keeps an empty source as empty bytes, not as nothing', async () => {
        const id = await storage.email.storeRawSource(new Uint8Array(0));
        expect((await storage.email.rawSourceBytes(id))?.length).toBe(0);
      });

      it('keeps each source apart, and drops one nothing points at', async () => {
        const kept = await storage.email.storeRawSource(everyByte());
        const duplicate = await storage.email.storeRawSource(bytesOf(200_000));
        expect(duplicate).not.toBe(kept);
        await storage.email.deleteRawSource(duplicate);
        expect(await storage.email.rawSourceBytes(duplicate)).toBeNull();
        expect(same(await storage.email.rawSourceBytes(kept), everyByte())).toBe(true);
        expect(await storage.email.rawSourceBytes(kept + duplicate + 1000)).toBeNull();
      });
    });

    describe('follow-ups', () => {
      it('keeps a timer until it is cleared, and a running one keeps its time when scheduled "unless pending"', async () => {
        expect(await storage.email.followupPending(conversationId)).toBe(false);
        await storage.email.scheduleFollowupUnlessPending(conversationId, 5000);
        expect(await storage.email.followupPending(conversationId)).toBe(true);
        await storage.email.scheduleFollowupUnlessPending(conversationId, 9000);
        expect(await storage.email.dueFollowups(5000)).toEqual([conversationId]);
        await storage.email.scheduleFollowup(conversationId, 9000);
        expect(await storage.email.dueFollowups(5000)).toEqual([]);
        expect(await storage.email.dueFollowups(9000)).toEqual([conversationId]);
        await storage.email.clearFollowup(conversationId);
        expect(await storage.email.followupPending(conversationId)).toBe(false);
        expect(await storage.email.dueFollowups(100_000)).toEqual([]);
      });

      it('lets one taker have a due follow-up, and leaves a timer restarted since running', async () => {
        await storage.email.scheduleFollowup(conversationId, 999);
        expect(await storage.email.takeDueFollowup(conversationId, 1000)).toBe(true);
        expect(await storage.email.takeDueFollowup(conversationId, 1000)).toBe(false);
        expect(await storage.email.followupPending(conversationId)).toBe(false);
        // Seen due, then a new reply restarted the timer before the take: not due, not taken.
        await storage.email.scheduleFollowup(conversationId, 61_000);
        expect(await storage.email.takeDueFollowup(conversationId, 1000)).toBe(false);
        expect(await storage.email.followupPending(conversationId)).toBe(true);
      });

      it('lists every conversation whose follow-up came due', async () => {
        const second = await newConversation();
        const third = await newConversation();
        await storage.email.scheduleFollowup(conversationId, 2000);
        await storage.email.scheduleFollowup(second, 1000);
        await storage.email.scheduleFollowup(third, 3000);
        expect((await storage.email.dueFollowups(2000)).sort((a, b) => a - b)).toEqual([conversationId, second].sort((a, b) => a - b));
      });

      it('gives the agent chat replies the visitor has not seen and no follow-up carried yet, oldest first', async () => {
        const agentId = storage.agentId;
        await say({ author: 'visitor', body: 'Anyone there?', now: 1000 });
        const seen = await say({ author: 'agent', agentId, body: 'Yes', now: 2000 });
        await storage.conversations.markSeenByVisitor(conversationId, seen.message.seq);
        const carried = await say({ author: 'agent', agentId, body: 'Still there?', now: 3000 });
        await storage.email.queueEmail(email({ messageIdHeader: '<followup@x>', kind: 'followup', messageId: carried.message.id }));
        await say({ author: 'agent', agentId, body: 'Your refund is on its way', now: 4000 });
        await say({ author: 'agent', agentId, channel: 'email', body: 'By email', now: 4500 });
        await say({ author: 'visitor', body: 'Thanks', now: 5000 });
        await say({ author: 'agent', agentId, body: 'You are welcome', now: 6000 });
        const unseen = await storage.email.unseenReplies(conversationId);
        expect(unseen.map((m) => m.body)).toEqual(['Your refund is on its way', 'You are welcome']);
        expect(unseen[0]).toMatchObject({ conversationId, author: 'agent', authorName: 'Ada', channel: 'chat' });
      });
    });

    describe('contacts', () => {
      it('creates one contact per address on first mail', async () => {
        const vera = await storage.email.contactFor('vera@example.com', null);
        expect(await storage.email.contactFor('vera@example.com', 'Vera')).toBe(vera);
        expect(await storage.email.contactFor('bob@example.com', 'Bob')).not.toBe(vera);
      });

      it('treats an address in any letter case as the same contact', async () => {
        const vera = await storage.email.contactFor('Vera@Example.COM', null);
        expect(await storage.email.contactFor('vera@example.com', 'Vera')).toBe(vera);
        await storage.email.nameUnnamedContact('VERA@example.com', 'Vera V.');
        const participant = await storage.email.emailParticipantOf(vera, 1000);
        const conversation = (await storage.conversations.createConversation(participant, 1000)).id;
        expect(await storage.conversations.participantOf(conversation)).toMatchObject({ name: 'Vera V.', email: 'vera@example.com' });
      });

      it('names a contact known without a name from their From header, and keeps a name they have', async () => {
        const nameOf = async (address: string) => {
          const contact = await storage.email.contactFor(address, null);
          const participant = await storage.email.emailParticipantOf(contact, 1000);
          const conversation = (await storage.conversations.createConversation(participant, 1000)).id;
          return (await storage.conversations.participantOf(conversation)).name;
        };
        await storage.email.contactFor('vera@example.com', null);
        await storage.email.nameUnnamedContact('vera@example.com', 'Vera V.');
        await storage.email.nameUnnamedContact('vera@example.com', 'Someone else');
        expect(await nameOf('vera@example.com')).toBe('Vera V.');
        await storage.email.contactFor('bob@example.com', 'Bob');
        await storage.email.nameUnnamedContact('bob@example.com', 'Robert');
        expect(await nameOf('bob@example.com')).toBe('Bob');
      });

      it("creates a contact's email participant once", async () => {
        const vera = await storage.email.contactFor('vera@example.com', 'Vera');
        const participant = await storage.email.emailParticipantOf(vera, 1000);
        expect(await storage.email.emailParticipantOf(vera, 2000)).toBe(participant);
        expect(participant).not.toBe(storage.visitorId);
        const bob = await storage.email.contactFor('bob@example.com', 'Bob');
        expect(await storage.email.emailParticipantOf(bob, 1000)).not.toBe(participant);
      });

      it("finds the contact's latest open conversation", async () => {
        const vera = await storage.email.contactFor('vera@example.com', 'Vera');
        expect(await storage.email.latestOpenConversationOf(vera)).toBeNull();
        const participant = await storage.email.emailParticipantOf(vera, 1000);
        const older = (await storage.conversations.createConversation(participant, 1000)).id;
        const newer = (await storage.conversations.createConversation(participant, 2000)).id;
        expect(await storage.email.latestOpenConversationOf(vera)).toBe(newer);
        await storage.conversations.setStatus(newer, 'complete');
        expect(await storage.email.latestOpenConversationOf(vera)).toBe(older);
      });
    });

    if (engine.name !== 'PostgreSQL') return;

    describe('several processes at once', () => {
      it('never lets two workers claim the same one of 20 due emails', async () => {
        for (let i = 0; i < 20; i++) await storage.email.queueEmail(email({ messageIdHeader: `<m${i}@x>`, nextAttemptAt: 1000 + i }));
        const worker = async () => {
          const mine: number[] = [];
          for (;;) {
            // Each claim commits a little after it was made, as a worker's does once it has read the row.
            const row = await storage.transaction(async (tx) => {
              const claimed = await tx.email.claimDueEmail(5000, 60_000);
              await sleep(2);
              return claimed;
            });
            if (!row) return mine;
            mine.push(row.id);
          }
        };
        // Three connections open first, so that no worker waits for one while another claims them all.
        await Promise.all([0, 1, 2].map(() => storage.transaction(() => sleep(20))));
        const claims = await Promise.all([worker(), worker(), worker()]);
        const all = claims.flat();
        expect(all).toHaveLength(20);
        expect(new Set(all).size).toBe(20);
        expect(claims.filter((mine) => mine.length > 0).length).toBeGreaterThan(1);
      });

      it('lets exactly one of two processes take a due follow-up', async () => {
        for (let round = 0; round < 10; round++) {
          await storage.email.scheduleFollowup(conversationId, 999);
          const taken = await Promise.all(
            [0, 1].map(() =>
              storage.transaction(async (tx) => {
                const mine = await tx.email.takeDueFollowup(conversationId, 1000);
                await sleep(5); // the winner queues its email in the same transaction
                return mine;
              }),
            ),
          );
          expect(taken.sort()).toEqual([false, true]);
        }
      });

      it('creates one contact when two processes get mail from one address, written in different case', async () => {
        const [first, second] = await Promise.all(
          ['Vera@Example.com', 'vera@example.COM'].map((address) =>
            storage.transaction(async (tx) => {
              const id = await tx.email.contactFor(address, null);
              await sleep(20); // the rest of the email's transaction
              return id;
            }),
          ),
        );
        expect(second).toBe(first);
        expect(await storage.email.contactFor('VERA@example.com', null)).toBe(first);
      });

      it('opens one conversation when two processes get new mail at once from a contact with none open', async () => {
        await storage.email.contactFor('vera@example.com', 'Vera'); // known from an earlier, completed thread
        // What receiving an email that threads by nothing does, in its transaction (email/inbound/receive.ts).
        const receive = (now: number) =>
          storage.transaction(async (tx) => {
            const contact = await tx.email.contactFor('vera@example.com', null);
            const open = await tx.email.latestOpenConversationOf(contact);
            if (open) return open;
            const participant = await tx.email.emailParticipantOf(contact, now);
            const created = (await tx.conversations.createConversation(participant, now)).id;
            await sleep(50); // the rest of the email's transaction
            return created;
          });
        const [first, second] = await Promise.all([receive(1000), receive(1001)]);
        expect(second).toBe(first);
      });

      it('creates one email participant when two processes get a first email from one contact', async () => {
        const vera = await storage.email.contactFor('vera@example.com', 'Vera');
        const [first, second] = await Promise.all(
          [1000, 1001].map((now) =>
            storage.transaction(async (tx) => {
              const id = await tx.email.emailParticipantOf(vera, now);
              await sleep(20);
              return id;
            }),
          ),
        );
        expect(second).toBe(first);
      });

      it("keeps a conversation's first reply token when two processes set one at once, so emails already out still thread", async () => {
        await Promise.all(
          ['first', 'second'].map((token, i) =>
            storage.transaction(async (tx) => {
              await sleep(i * 10);
              await tx.email.setReplyToken(conversationId, token);
              await sleep(20);
            }),
          ),
        );
        expect(await storage.email.replyToken(conversationId)).toBe('first');
        expect(await storage.email.conversationByReplyToken('first')).toBe(conversationId);
        expect(await storage.email.conversationByReplyToken('second')).toBeNull();
      });
    });
  });
}
