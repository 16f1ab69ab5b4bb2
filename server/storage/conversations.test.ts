// The ConversationStore's behaviour, the same on every engine (testing/engines.ts): visitors and what
// they say about themselves, a conversation's state as messages arrive, each message's place in its
// conversation (seq: 1, 2, 3… per conversation, the order history, catch-up and the visitor's seen
// watermark go by), the history the inbox and the widget load, and several writers at once.
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/protocol';
import type { ConversationStore, NewMessage, VisitorMessage } from './conversations';
import type { Storage } from './index';
import { storageEngines } from './testing/engines';

const parse = (json: string) => JSON.parse(json) as ChatMessage[];
const seqs = (json: string) => parse(json).map((m) => [m.seq, m.body]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of storageEngines()) {
  describe(`conversations on ${engine.name}`, () => {
    let storage: Storage;
    let store: ConversationStore;
    let agentId: number;
    let conversationId: number;
    let visitorId: number;

    beforeEach(async () => {
      const opened = await engine.open();
      ({ agentId, conversationId, visitorId } = opened);
      storage = opened;
      store = opened.conversations;
    }, 120_000);
    afterAll(() => engine.close());

    const newVisitor = async () => (await store.createVisitor(1000)).visitor.id;
    const newConversation = async () => (await store.createConversation(await newVisitor(), 1000)).id;
    const insert = (message: NewMessage) => storage.transaction((tx) => tx.conversations.insertMessage(message));
    const say = async (id: number, body: string, more: Partial<NewMessage> = {}) =>
      (await insert({ conversationId: id, author: 'visitor', body, ...more })).message;
    const conversation = async (id = conversationId) => (await store.conversationById(id))!;
    /** One group commit's batch of visitor chat messages, in one transaction. */
    const batch = (inputs: VisitorMessage[]) => storage.transaction((tx) => tx.conversations.insertVisitorMessages(inputs));
    const chat = (body: string, more: Partial<VisitorMessage> = {}): VisitorMessage => ({ visitorId, clientId: body, body, ...more });

    describe('visitors', () => {
      it('gives a new web visitor a token that finds them again, and keeps only its hash', async () => {
        const { visitor, token } = await store.createVisitor(5000);
        expect(visitor).toMatchObject({ kind: 'web', lastSeenAt: 5000, contactId: null, unverifiedEmail: null });
        expect(visitor.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
        expect((await store.findVisitorByToken(token))?.id).toBe(visitor.id);
        expect(await store.findVisitorByToken(visitor.tokenHash!)).toBeNull();
        expect(await store.findVisitorByToken('not a token')).toBeNull();
        expect((await store.createVisitor()).token).not.toBe(token);
      });

      it("moves a participant's last-seen time forward, never back", async () => {
        const { visitor, token } = await store.createVisitor(1000);
        await store.participantSeen(visitor.id, 5000);
        await store.participantSeen(visitor.id, 3000);
        expect((await store.findVisitorByToken(token))?.lastSeenAt).toBe(5000);
      });

      it('records a batch of web visits, keeping what a visit did not say', async () => {
        const first = await store.createVisitor(1000);
        const second = await store.createVisitor(1000);
        await store.recordVisits(new Map()); // nothing to write
        await store.recordVisits(
          new Map([
            [second.visitor.id, { at: 2000, pageUrl: 'https://shop.example/b', referrer: null, userAgent: "Bob's \"agent\" \\ 1.0" }],
            [first.visitor.id, { at: 2500, pageUrl: 'https://shop.example/a', referrer: 'https://search.example/?q=a%20b', userAgent: 'Firefox' }],
          ]),
        );
        await store.recordVisits(new Map([[first.visitor.id, { at: 3000, pageUrl: 'https://shop.example/cart', referrer: null, userAgent: null }]]));
        // A visit recorded late (another process's batch) never moves the last-seen time back.
        await store.recordVisits(new Map([[first.visitor.id, { at: 2800, pageUrl: null, referrer: null, userAgent: null }]]));
        expect(await store.findVisitorByToken(first.token)).toMatchObject({
          lastSeenAt: 3000,
          pageUrl: 'https://shop.example/cart',
          referrer: 'https://search.example/?q=a%20b',
          userAgent: 'Firefox',
        });
        expect(await store.findVisitorByToken(second.token)).toMatchObject({
          lastSeenAt: 2000,
          pageUrl: 'https://shop.example/b',
          referrer: null,
          userAgent: "Bob's \"agent\" \\ 1.0",
        });
      });

      it("keeps an address a visitor only typed as their own claim, which reaches no contact's name or mail", async () => {
        const { visitor: sam } = await store.createVisitor(1000);
        const samConversation = (await store.createConversation(sam.id, 1000)).id;
        expect(await store.identifyVisitor(sam.id, { email: 'Sam@Example.org', name: 'Sam', verified: true })).toBe(true);

        const { visitor: mallory, token } = await store.createVisitor(1000);
        const malloryConversation = (await store.createConversation(mallory.id, 1000)).id;
        expect(await store.identifyVisitor(mallory.id, { email: 'sam@example.org', name: 'Mallory', verified: false })).toBe(true);
        expect(await store.identifyVisitor(mallory.id, { email: 'SAM@example.org', name: 'Mallory', verified: false })).toBe(false);
        expect(await store.emailOfVisitor(mallory.id)).toBe('sam@example.org');
        expect(await store.contactEmailOfVisitor(mallory.id)).toBeNull();
        expect((await store.findVisitorByToken(token))?.contactId).toBeNull();
        expect(await store.participantOf(malloryConversation)).toEqual({ name: 'Mallory', email: 'sam@example.org', emailVerified: false });
        expect(await store.participantOf(samConversation)).toEqual({ name: 'Sam', email: 'sam@example.org', emailVerified: true });
        expect(await store.tagValuesFor(samConversation)).toEqual({ contact: { name: 'Sam', email: 'sam@example.org' } });
      });

      it('links visitors who prove one address to one contact, whose first name stays', async () => {
        const first = await store.createVisitor(1000);
        const second = await store.createVisitor(1000);
        const secondConversation = (await store.createConversation(second.visitor.id, 1000)).id;
        expect(await store.identifyVisitor(first.visitor.id, { email: 'kim@example.org', name: 'Kim', verified: true })).toBe(true);
        expect(await store.identifyVisitor(first.visitor.id, { email: 'kim@example.org', name: 'Kim', verified: true })).toBe(false);
        expect(await store.identifyVisitor(second.visitor.id, { email: 'kim@example.org', name: 'Kimberly', verified: true })).toBe(true);
        const [a, b] = [await store.findVisitorByToken(first.token), await store.findVisitorByToken(second.token)];
        expect(a?.contactId).not.toBeNull();
        expect(b?.contactId).toBe(a?.contactId);
        expect(await store.participantOf(secondConversation)).toEqual({ name: 'Kim', email: 'kim@example.org', emailVerified: true });
        expect(await store.contactEmailOfVisitor(second.visitor.id)).toBe('kim@example.org');
      });

      it('makes a typed address proven once the visitor replies from that mailbox', async () => {
        const { visitor, token } = await store.createVisitor(1000);
        const id = (await store.createConversation(visitor.id, 1000)).id;
        await store.verifyTypedEmail(visitor.id, 'Nobody'); // nothing typed: nothing to prove
        expect(await store.participantOf(id)).toEqual({ name: null, email: null, emailVerified: false });
        await store.identifyVisitor(visitor.id, { email: 'lee@example.org', verified: false });
        await storage.transaction((tx) => tx.conversations.verifyTypedEmail(visitor.id, 'Lee From Mail'));
        expect(await store.participantOf(id)).toEqual({ name: 'Lee From Mail', email: 'lee@example.org', emailVerified: true });
        expect(await store.findVisitorByToken(token)).toMatchObject({ unverifiedEmail: null });
        expect(await store.contactEmailOfVisitor(visitor.id)).toBe('lee@example.org');
        // A later claim of another address replaces the proven one (the visitor corrected it).
        expect(await store.identifyVisitor(visitor.id, { email: 'lee@work.example', verified: false })).toBe(true);
        expect(await store.emailOfVisitor(visitor.id)).toBe('lee@work.example');
        expect(await store.contactEmailOfVisitor(visitor.id)).toBeNull();
      });
    });

    describe('conversations', () => {
      it("finds a visitor's newest conversation, and none for an unknown one", async () => {
        const visitorId = await newVisitor();
        const older = await store.createConversation(visitorId, 2000);
        const newer = await store.createConversation(visitorId, 3000);
        expect(newer).toMatchObject({ visitorId, status: 'open', lastMessageAt: 3000, createdAt: 3000, lastSeq: 0, unreadCount: 0, visitorSeenSeq: 0 });
        expect(newer.id).toBeGreaterThan(older.id);
        expect((await store.conversationOfVisitor(visitorId))?.id).toBe(newer.id);
        expect(await store.assignIfUnassigned(newer.id, agentId)).toBe(true);
        // Each way of reading a conversation gives all of it, its assignee included.
        expect(await store.conversationOfVisitor(visitorId)).toEqual(await store.conversationById(newer.id));
        expect((await store.conversationOfVisitor(visitorId))?.assigneeId).toBe(agentId);
        expect(Object.keys(older).sort()).toEqual(Object.keys((await store.conversationById(older.id))!).sort());
        expect(await store.conversationIdOfVisitor(visitorId)).toBe(newer.id);
        expect((await store.conversationById(older.id))?.lastMessageAt).toBe(2000);
        expect(await store.conversationById(older.id + 1000)).toBeNull();
        expect(await store.conversationIdOfVisitor(visitorId + 1000)).toBeNull();
      });

      it('is reopened and unread by a visitor message, read by an agent reply, and left alone by an auto-reply', async () => {
        await store.setStatus(conversationId, 'complete');
        await say(conversationId, 'Hello?', { now: 2000 });
        await say(conversationId, 'Anyone?', { now: 2100 });
        expect(await conversation()).toMatchObject({
          status: 'open',
          unreadCount: 2,
          lastMessagePreview: 'Anyone?',
          lastMessageAuthor: 'visitor',
          lastMessageAt: 2100,
          lastInboundAt: 2100,
        });
        await store.markReadByAgents(conversationId);
        expect((await conversation()).unreadCount).toBe(0);
        await say(conversationId, 'Still there?', { now: 2200 });
        await insert({ conversationId, author: 'agent', agentId, body: 'Yes, here.', now: 3000 });
        expect(await conversation()).toMatchObject({ unreadCount: 0, lastMessageAuthor: 'agent', lastMessageAgentId: agentId, lastInboundAt: 2200 });
        await store.setStatus(conversationId, 'complete');
        await say(conversationId, 'I am out of office', { channel: 'email', automatic: true, now: 4000 });
        expect(await conversation()).toMatchObject({ status: 'complete', unreadCount: 0, lastInboundAt: 2200, lastMessageAt: 4000 });
      });

      it('keeps its place in the list when an old message is redelivered late', async () => {
        await say(conversationId, 'new', { now: 5000 });
        await say(conversationId, 'old, redelivered', { channel: 'email', externalId: '<old@example.org>', now: 3000 });
        expect(await conversation()).toMatchObject({ lastMessageAt: 5000, lastInboundAt: 5000, lastMessagePreview: 'old, redelivered' });
      });

      it('previews a file sent without words by its name, and a long message by its start', async () => {
        await say(conversationId, '', { attachments: [{ type: 'image', url: '/a/1', name: 'receipt.png' }, { type: 'file', url: '/a/2' }] });
        expect((await conversation()).lastMessagePreview).toBe('receipt.png, file');
        await say(conversationId, 'x'.repeat(500));
        expect((await conversation()).lastMessagePreview).toBe('x'.repeat(140));
      });

      it("moves the visitor's seen watermark forward only, and never past the last message", async () => {
        const id = await newConversation();
        await say(id, 'one');
        await say(id, 'two');
        await store.markSeenByVisitor(id, 2);
        await store.markSeenByVisitor(id, 1);
        expect((await conversation(id)).visitorSeenSeq).toBe(2);
        await store.markSeenByVisitor(id, 1_000_000);
        expect((await conversation(id)).visitorSeenSeq).toBe(2);
      });

      it('rejects a message for a conversation that does not exist', async () => {
        await expect(insert({ conversationId: conversationId + 1000, author: 'visitor', body: 'lost' })).rejects.toThrow();
      });
    });

    describe('messages', () => {
      it("stores a plain chat message with its author's name and without delivery fields, as history shows it", async () => {
        const { message, duplicate } = await insert({ conversationId, author: 'agent', agentId, body: 'Hi, Ada here', clientId: 'c-1', now: 2000 });
        expect(duplicate).toBe(false);
        expect(message).toEqual({
          id: message.id,
          conversationId,
          seq: 1,
          clientId: 'c-1',
          author: 'agent',
          authorName: 'Ada',
          channel: 'chat',
          body: 'Hi, Ada here',
          createdAt: 2000,
        });
        const visitorMessage = await say(conversationId, 'Hi Ada', { now: 2100 });
        expect(parse(await store.historyJson(conversationId))).toEqual([message, visitorMessage]);
        expect(visitorMessage).toMatchObject({ clientId: null, authorName: null });
        expect(await store.messageById(message.id)).toEqual({
          ...message,
          deliveryState: null,
          deliveryError: null,
          otherSender: null,
          attachments: null,
          automatic: false,
          editedAt: null,
          reactions: null,
        });
        expect(await store.messageById(message.id + 1000)).toBeNull();
      });

      it('stores email with every delivery field, and keeps mail from another address out of the widget', async () => {
        const attachments = [{ type: 'file', url: '/attachments/9', name: 'invoice.pdf', mimeType: 'application/pdf', size: 1234 }];
        const reply = (
          await insert({ conversationId, author: 'agent', agentId, body: 'Invoice attached', channel: 'email', deliveryState: 'queued', attachments, now: 2000 })
        ).message;
        const fromOther = await say(conversationId, 'Forwarding this', { channel: 'email', externalId: '<x@other.example>', otherSender: 'boss@other.example', now: 2100 });
        const messenger = await say(conversationId, 'thx', { channel: 'messenger', externalId: 'mid.1', now: 2200 });
        const base = { conversationId, deliveryError: null, editedAt: null, reactions: null, automatic: false };
        const expected = [
          { ...base, id: reply.id, seq: 1, clientId: null, author: 'agent', authorName: 'Ada', channel: 'email', body: 'Invoice attached', createdAt: 2000, deliveryState: 'queued', otherSender: null, attachments },
          { ...base, id: fromOther.id, seq: 2, clientId: null, author: 'visitor', authorName: null, channel: 'email', body: 'Forwarding this', createdAt: 2100, deliveryState: null, otherSender: 'boss@other.example', attachments: null },
          { ...base, id: messenger.id, seq: 3, clientId: null, author: 'visitor', authorName: null, channel: 'messenger', body: 'thx', createdAt: 2200, deliveryState: null, otherSender: null, attachments: null },
        ];
        expect([reply, fromOther, messenger]).toEqual(expected);
        expect(parse(await store.historyJson(conversationId))).toEqual(expected);
        expect(parse(await store.visitorHistoryJson(conversationId))).toEqual([expected[0], expected[2]]);
      });

      it("records a message's delivery and the channel's id for it, found by that id afterwards", async () => {
        const sent = (await insert({ conversationId, author: 'agent', agentId, body: 'Hi', channel: 'messenger', deliveryState: 'queued' })).message;
        await store.updateDelivery(sent.id, { state: 'sent', externalId: 'mid.42' });
        await store.updateDelivery(sent.id, { state: 'failed', error: 'Outside the 24-hour window' });
        expect(await store.messageByExternalId('messenger', 'mid.42')).toMatchObject({
          id: sent.id,
          deliveryState: 'failed',
          deliveryError: 'Outside the 24-hour window',
        });
        expect(await store.messageByExternalId('email', 'mid.42')).toBeNull();
        await store.updateDelivery(sent.id, { state: 'delivered' });
        expect(await store.messageById(sent.id)).toMatchObject({ deliveryState: 'delivered', deliveryError: null });
      });

      it('takes a newer edit of a message (and the preview while it is the latest), never an older one', async () => {
        const first = await say(conversationId, 'helo', { channel: 'messenger', externalId: 'mid.1' });
        expect(await store.editMessage(first.id, 'hello', 5000)).toBe(true);
        expect((await conversation()).lastMessagePreview).toBe('hello');
        expect(await store.editMessage(first.id, 'helo again', 4000)).toBe(false);
        expect(await store.messageById(first.id)).toMatchObject({ body: 'hello', editedAt: 5000 });
        expect(parse(await store.historyJson(conversationId))[0]).toMatchObject({ body: 'hello', editedAt: 5000 });
        await say(conversationId, 'second', { channel: 'messenger', externalId: 'mid.2' });
        expect(await store.editMessage(first.id, 'hello there', 6000)).toBe(true);
        expect((await conversation()).lastMessagePreview).toBe('second');
        expect(await store.editMessage(first.id + 1000, 'nobody', 7000)).toBe(false);
      });

      it("replaces a message's reactions, and an empty list leaves none", async () => {
        const message = await say(conversationId, 'Great', { channel: 'messenger', externalId: 'mid.1' });
        await store.setReactions(message.id, [{ emoji: '❤️', author: 'agent' }, { emoji: '👍', author: 'visitor' }]);
        expect((await store.messageById(message.id))?.reactions).toEqual([{ emoji: '❤️', author: 'agent' }, { emoji: '👍', author: 'visitor' }]);
        expect(parse(await store.historyJson(conversationId))[0]?.reactions).toEqual([{ emoji: '❤️', author: 'agent' }, { emoji: '👍', author: 'visitor' }]);
        await store.setReactions(message.id, []);
        expect((await store.messageById(message.id))?.reactions).toBeNull();
      });
    });

    describe('message seq', () => {
      it('numbers each conversation 1, 2, 3… on its own, however their ids interleave', async () => {
        const a = await newConversation();
        const b = await newConversation();
        const stored = [await say(a, 'a1'), await say(b, 'b1'), await say(a, 'a2'), await say(b, 'b2'), await say(a, 'a3')];
        expect(stored.map((m) => m.seq)).toEqual([1, 1, 2, 2, 3]);
        expect(seqs(await store.historyJson(a))).toEqual([[1, 'a1'], [2, 'a2'], [3, 'a3']]);
        expect((await conversation(a)).lastSeq).toBe(3);
        expect((await store.messageById((await say(b, 'b3')).id))?.seq).toBe(3);
      });

      it('gives a resent message or a redelivered email no seq of its own', async () => {
        const id = await newConversation();
        const first = await say(id, 'hello', { clientId: 'resent-client-id' });
        const again = await insert({ conversationId: id, author: 'visitor', body: 'hello', clientId: 'resent-client-id' });
        expect(again).toMatchObject({ duplicate: true, message: { id: first.id, seq: 1 } });
        await say(id, 'by mail', { channel: 'email', externalId: '<one@example.org> sam@example.org' });
        const redelivered = await insert({ conversationId: id, author: 'visitor', body: 'by mail', channel: 'email', externalId: '<one@example.org> sam@example.org' });
        expect(redelivered).toMatchObject({ duplicate: true, message: { seq: 2 } });
        expect((await say(id, 'next')).seq).toBe(3);
        expect(await conversation(id)).toMatchObject({ lastSeq: 3, unreadCount: 3 });
      });

      it('lets another conversation reuse a clientId, but not a channel id', async () => {
        const a = await newConversation();
        const b = await newConversation();
        await say(a, 'hi', { clientId: 'same', externalId: 'mid.7', channel: 'messenger' });
        expect(await insert({ conversationId: b, author: 'visitor', body: 'hi', clientId: 'same' })).toMatchObject({ duplicate: false, message: { seq: 1 } });
        expect(await insert({ conversationId: b, author: 'visitor', body: 'hi', channel: 'messenger', externalId: 'mid.7' })).toMatchObject({
          duplicate: true,
          message: { conversationId: a },
        });
        expect((await conversation(b)).lastSeq).toBe(1);
      });

      it('sends history after a seq: exactly the later messages, in order, to agents and to the visitor', async () => {
        const id = await newConversation();
        for (const body of ['one', 'two', 'three']) await say(id, body);
        expect(seqs(await store.historyJson(id, 1))).toEqual([[2, 'two'], [3, 'three']]);
        expect(seqs(await store.visitorHistoryJson(id, 2))).toEqual([[3, 'three']]);
        expect(await store.visitorHistoryJson(id, 3)).toBe('[]');
        expect(await store.historyJson(id + 1000)).toBe('[]');
      });

      it('translates between ids and seqs for widget panels built before seq', async () => {
        const id = await newConversation();
        const other = await newConversation();
        const one = await say(id, 'one');
        const elsewhere = await say(other, 'elsewhere');
        const two = await say(id, 'two');
        expect(await store.seqAtMessageId(id, one.id)).toBe(1);
        expect(await store.seqAtMessageId(id, elsewhere.id)).toBe(1);
        expect(await store.seqAtMessageId(id, two.id + 10)).toBe(2);
        expect(await store.seqAtMessageId(id, 0)).toBe(0);
        expect(await store.messageIdAtSeq(id, 2)).toBe(two.id);
        expect(await store.messageIdAtSeq(id, 0)).toBe(0);
      });
    });

    describe("a group commit's batch of visitor messages", () => {
      it('numbers messages for one conversation in arrival order and leaves it as one message after another would', async () => {
        await store.setStatus(conversationId, 'complete');
        const newcomer = await newVisitor();
        const stored = await batch([
          chat('first', { now: 2000 }),
          chat('hello from a new visitor', { visitorId: newcomer, now: 2050 }),
          chat('second', { now: 2100 }),
          chat('', { clientId: 'file', now: 2050, attachments: [{ type: 'image', url: '/files/1', name: 'photo.png', size: 10 }] }),
        ]);
        expect(stored.map((s) => [s.duplicate, s.message.seq, s.message.body])).toEqual([
          [false, 1, 'first'],
          [false, 1, 'hello from a new visitor'],
          [false, 2, 'second'],
          [false, 3, ''],
        ]);
        expect(stored[0]!.message).toEqual({
          id: expect.any(Number),
          conversationId,
          seq: 1,
          clientId: 'first',
          author: 'visitor',
          authorName: null,
          channel: 'chat',
          body: 'first',
          createdAt: 2000,
        });
        for (const { message } of stored) expect(await store.messageById(message.id)).toMatchObject({ seq: message.seq, body: message.body });
        expect(await conversation()).toMatchObject({
          status: 'open',
          lastSeq: 3,
          unreadCount: 3,
          lastMessagePreview: 'photo.png',
          lastMessageAuthor: 'visitor',
          lastMessageAt: 2100,
          lastInboundAt: 2100,
        });
        const created = (await store.conversationOfVisitor(newcomer))!;
        expect(created).toMatchObject({ id: stored[1]!.message.conversationId, lastSeq: 1, unreadCount: 1, lastMessagePreview: 'hello from a new visitor' });
        expect(created.id).not.toBe(conversationId);
        expect(seqs(await store.historyJson(conversationId))).toEqual([[1, 'first'], [2, 'second'], [3, '']]);
      });

      it('stores any text as it was written, as a batch passes it in arrays', async () => {
        const bodies = ['NULL', '', '{"a": [1, 2]}', 'say "hi", \\ back\\slash', "it's {braced}, comma", 'émoji 👋\nnew line', ' padded '];
        const stored = await batch(bodies.map((body, i) => chat(body, { clientId: `c${i},"${body}"` })));
        expect(parse(await store.historyJson(conversationId)).map((m) => [m.body, m.clientId])).toEqual(
          bodies.map((body, i) => [body, `c${i},"${body}"`]),
        );
        expect(stored.map((s) => s.message.body)).toEqual(bodies);
        expect((await conversation()).lastMessagePreview).toBe(' padded ');
      });

      it('answers a resend, stored before or earlier in the same batch, with the stored copy and no seq', async () => {
        const [first] = await batch([chat('once')]);
        const stored = await batch([chat('once'), chat('twice'), chat('twice'), chat('next')]);
        expect(stored.map((s) => [s.duplicate, s.message.id, s.message.seq])).toEqual([
          [true, first!.message.id, 1],
          [false, stored[1]!.message.id, 2],
          [true, stored[1]!.message.id, 2],
          [false, stored[3]!.message.id, 3],
        ]);
        expect(seqs(await store.historyJson(conversationId))).toEqual([[1, 'once'], [2, 'twice'], [3, 'next']]);
        expect(await conversation()).toMatchObject({ lastSeq: 3, unreadCount: 3 });
      });

      it('numbers 4 concurrent batches of 50 messages for two visitors 1 to 100 in each conversation, without gaps or repeats', async () => {
        const other = await newVisitor();
        // Each batch names the visitors in another order: the locks must still be taken in one order.
        const batches = [0, 1, 2, 3].map((writer) =>
          batch(
            Array.from({ length: 50 }, (_, i) => {
              const visitor = (i + writer) % 2 === 0 ? visitorId : other;
              return chat(`w${writer}-${i}`, { visitorId: visitor });
            }),
          ),
        );
        const stored = (await Promise.all(batches)).flat();
        expect(stored.every((s) => !s.duplicate)).toBe(true);
        for (const conversationOfVisitor of [conversationId, (await store.conversationIdOfVisitor(other))!]) {
          const mine = stored.filter((s) => s.message.conversationId === conversationOfVisitor).map((s) => s.message.seq);
          expect(mine.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
          const history = parse(await store.historyJson(conversationOfVisitor));
          expect(history.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
          // Each batch's messages keep their order.
          for (let writer = 0; writer < 4; writer++) {
            const bodies = history.filter((m) => m.body.startsWith(`w${writer}-`)).map((m) => Number(m.body.split('-')[1]));
            expect(bodies).toEqual([...bodies].sort((a, b) => a - b));
          }
          expect(await conversation(conversationOfVisitor)).toMatchObject({ lastSeq: 100, unreadCount: 100 });
        }
      });

      it("gives a new visitor one conversation when two batches bring their first messages at once", async () => {
        const newcomer = await newVisitor();
        // The first batch holds its new conversation uncommitted while the second (another tab, another
        // process) arrives with the same visitor's message.
        let firstStored!: () => void;
        const stored = new Promise<void>((resolve) => (firstStored = resolve));
        const first = storage.transaction(async (tx) => {
          const [result] = await tx.conversations.insertVisitorMessages([chat('tab one', { visitorId: newcomer })]);
          firstStored();
          await sleep(200);
          return result!;
        });
        await stored;
        const second = batch([chat('tab two', { visitorId: newcomer })]);
        const [a, [b]] = await Promise.all([first, second]);
        expect(b!.message.conversationId).toBe(a.message.conversationId);
        expect([a.message.seq, b!.message.seq]).toEqual([1, 2]);
        expect(seqs(await store.historyJson(a.message.conversationId))).toEqual([[1, 'tab one'], [2, 'tab two']]);
      });

      it('answers a resend that waited for the first batch to commit with that copy', async () => {
        let firstStored!: () => void;
        const stored = new Promise<void>((resolve) => (firstStored = resolve));
        const first = storage.transaction(async (tx) => {
          const [result] = await tx.conversations.insertVisitorMessages([chat('slow')]);
          firstStored();
          await sleep(200); // still uncommitted while the resend arrives
          return result!;
        });
        await stored;
        const resend = batch([chat('slow'), chat('after')]);
        const [a, [b, c]] = await Promise.all([first, resend]);
        expect(a.duplicate).toBe(false);
        expect(b).toEqual({ duplicate: true, message: expect.objectContaining({ id: a.message.id, seq: 1 }) });
        expect(c).toMatchObject({ duplicate: false, message: { seq: 2 } });
        expect((await conversation()).lastSeq).toBe(2);
      });
    });

    describe('several writers at once', () => {
      it('numbers 4 concurrent writers of 25 messages each 1 to 100, without gaps or repeats', async () => {
        const writers = [0, 1, 2, 3].map((writer) =>
          storage.transaction(async (tx) => {
            const stored: ChatMessage[] = [];
            for (let i = 0; i < 25; i++) {
              stored.push((await tx.conversations.insertMessage({ conversationId, author: 'visitor', body: `w${writer}-${i}`, clientId: `w${writer}-${i}` })).message);
            }
            return stored;
          }),
        );
        const stored = (await Promise.all(writers)).flat();
        expect(stored.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        const history = parse(await store.historyJson(conversationId));
        expect(history.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        // Each writer's messages keep their order.
        for (let writer = 0; writer < 4; writer++) {
          const mine = history.filter((m) => m.body.startsWith(`w${writer}-`)).map((m) => m.body);
          expect(mine).toEqual(Array.from({ length: 25 }, (_, i) => `w${writer}-${i}`));
        }
        expect(await conversation()).toMatchObject({ lastSeq: 100, unreadCount: 100 });
      });

      it('stores a message sent at once by several writers with one clientId once', async () => {
        const results = await Promise.all(
          [0, 1, 2, 3].map(() => insert({ conversationId, author: 'visitor', body: 'hello', clientId: 'same-everywhere' })),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
        expect(seqs(await store.historyJson(conversationId))).toEqual([[1, 'hello']]);
        expect(await conversation()).toMatchObject({ lastSeq: 1, unreadCount: 1 });
      });

      it('answers a resend that waited for the first copy to commit with that copy', async () => {
        let firstStored!: () => void;
        const stored = new Promise<void>((resolve) => (firstStored = resolve));
        const first = storage.transaction(async (tx) => {
          const result = await tx.conversations.insertMessage({ conversationId, author: 'visitor', body: 'hello', clientId: 'slow' });
          firstStored();
          await sleep(200); // still uncommitted while the resend arrives
          return result;
        });
        await stored;
        const resend = insert({ conversationId, author: 'visitor', body: 'hello', clientId: 'slow' });
        const [a, b] = await Promise.all([first, resend]);
        expect(a.duplicate).toBe(false);
        expect(b).toEqual({ duplicate: true, message: expect.objectContaining({ id: a.message.id, seq: 1 }) });
        expect((await conversation()).lastSeq).toBe(1);
      });

      it('stores an email delivered at once into two conversations once, and the other takes no seq', async () => {
        const other = await newConversation();
        let firstStored!: () => void;
        const stored = new Promise<void>((resolve) => (firstStored = resolve));
        const mail = { author: 'visitor', body: 'one mail', channel: 'email', externalId: '<twice@example.org>' } as const;
        const first = storage.transaction(async (tx) => {
          const result = await tx.conversations.insertMessage({ ...mail, conversationId });
          firstStored();
          await sleep(200);
          return result;
        });
        await stored;
        const second = insert({ ...mail, conversationId: other });
        const [a, b] = await Promise.all([first, second]);
        expect(a.duplicate).toBe(false);
        expect(b).toMatchObject({ duplicate: true, message: { id: a.message.id, conversationId } });
        expect(await conversation(other)).toMatchObject({ lastSeq: 0, unreadCount: 0 });
        expect(await store.historyJson(other)).toBe('[]');
      });
    });
  });
}
