// The inbox's list of conversations, the same on every engine (testing/engines.ts): each conversation's
// summary row, the order and paging of the list, its filters, the unread count, and who owns what.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../shared/protocol';
import type { NewMessage } from './conversations';
import type { Storage } from './index';
import { storageEngines } from './testing/engines';

const nobodyOnline = () => false;
/** What the API lets through as a cursor (shared/protocol.ts conversationListQuery). */
const CURSOR = /^\d+_\d+$/;

for (const engine of storageEngines()) {
  describe(`the inbox list on ${engine.name}`, () => {
    let storage: Storage;
    let agentId: number;
    /** The engine's seeded conversation (last message at 1000): every list below starts with it. */
    let seeded: number;

    beforeEach(async () => {
      const opened = await engine.open();
      ({ agentId, conversationId: seeded } = opened);
      storage = opened;
    }, 120_000);
    afterAll(() => engine.close());

    const newConversation = async (now: number) => {
      const { visitor } = await storage.conversations.createVisitor(now);
      const conversation = await storage.conversations.createConversation(visitor.id, now);
      return { id: conversation.id, visitorId: visitor.id };
    };
    const say = (conversationId: number, body: string, now: number, more: Partial<NewMessage> = {}) =>
      storage.transaction((tx) => tx.conversations.insertMessage({ conversationId, author: 'visitor', body, now, ...more }));
    const reply = (conversationId: number, body: string, now: number) => say(conversationId, body, now, { author: 'agent', agentId });
    const summary = async (id: number) => (await storage.conversations.summary(id, nobodyOnline))!;
    /** Every page of a list, in order, with the cursors that led to them. */
    const allPages = async (query: { status: 'open' | 'complete' | 'all'; assigneeId?: number | null; limit: number }) => {
      const pages: number[][] = [];
      let cursor: string | undefined;
      do {
        const page = await storage.conversations.list({ ...query, cursor }, nobodyOnline);
        pages.push(page.conversations.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
        if (cursor !== undefined) expect(cursor).toMatch(CURSOR);
      } while (cursor !== undefined && pages.length < 20);
      return pages;
    };

    it('summarises a conversation as its inbox row: last message and who wrote it, unread visitor messages, presence', async () => {
      const { id, visitorId } = await newConversation(1500);
      await say(id, 'Hello', 2000);
      await say(id, 'Anyone there?', 2500);
      const online = (visitor: number) => visitor === visitorId;
      const unanswered: ConversationSummary = {
        id,
        visitorId,
        kind: 'web',
        title: `Visitor #${visitorId}`,
        email: null,
        emailVerified: false,
        lastInboundAt: 2500,
        status: 'open',
        online: true,
        lastMessageAt: 2500,
        lastMessagePreview: 'Anyone there?',
        lastMessageAuthor: 'visitor',
        lastMessageAgentId: null,
        lastMessageAgentName: null,
        unreadCount: 2,
        assigneeId: null,
        assigneeName: null,
        createdAt: 1500,
      };
      expect(await storage.conversations.summary(id, online)).toEqual(unanswered);
      await reply(id, 'Hi! How can I help?', 3000);
      expect(await storage.conversations.summary(id, nobodyOnline)).toEqual({
        ...unanswered,
        online: false,
        lastMessageAt: 3000,
        lastMessagePreview: 'Hi! How can I help?',
        lastMessageAuthor: 'agent',
        lastMessageAgentId: agentId,
        lastMessageAgentName: 'Ada',
        unreadCount: 0,
      });
      expect(await storage.conversations.summary(id + 100, nobodyOnline)).toBeNull();
    });

    it('summarises several conversations at once exactly as one at a time, leaving unknown ones out', async () => {
      const a = await newConversation(2000);
      const b = await newConversation(3000);
      await say(a.id, 'Hello', 2100);
      await reply(b.id, 'Hi there', 3100);
      await storage.conversations.setAssignee(b.id, agentId);
      const online = (visitorId: number) => visitorId === b.visitorId;
      const summaries = await storage.conversations.summaries([b.id, a.id, seeded, b.id + 100], online);
      expect([...summaries.keys()].sort((x, y) => x - y)).toEqual([seeded, a.id, b.id].sort((x, y) => x - y));
      for (const id of [seeded, a.id, b.id]) expect(summaries.get(id)).toEqual(await storage.conversations.summary(id, online));
      expect(summaries.get(b.id)).toMatchObject({ online: true, assigneeName: 'Ada', lastMessageAgentName: 'Ada' });
      expect((await storage.conversations.summaries([], online)).size).toBe(0);
    });

    it("titles a conversation by its contact's name, else the visitor's, else their address, else Visitor #N", async () => {
      const anonymous = await newConversation(1000);
      const named = await newConversation(1000);
      await storage.conversations.identifyVisitor(named.visitorId, { name: 'Grace', verified: false });
      const typed = await newConversation(1000);
      await storage.conversations.identifyVisitor(typed.visitorId, { email: 'Sam@Example.org', verified: false });
      const proven = await newConversation(1000);
      await storage.conversations.identifyVisitor(proven.visitorId, { email: 'kim@example.org', name: 'Kim Lee', verified: true });
      // Kim again, from another browser, first calling themselves K: the contact's name wins.
      const again = await newConversation(1000);
      await storage.conversations.identifyVisitor(again.visitorId, { name: 'K', verified: false });
      await storage.conversations.identifyVisitor(again.visitorId, { email: 'kim@example.org', verified: true });
      const row = async (id: number) => {
        const { title, email, emailVerified } = await summary(id);
        return { title, email, emailVerified };
      };
      expect(await row(anonymous.id)).toEqual({ title: `Visitor #${anonymous.visitorId}`, email: null, emailVerified: false });
      expect(await row(named.id)).toEqual({ title: 'Grace', email: null, emailVerified: false });
      expect(await row(typed.id)).toEqual({ title: 'sam@example.org', email: 'sam@example.org', emailVerified: false });
      expect(await row(proven.id)).toEqual({ title: 'Kim Lee', email: 'kim@example.org', emailVerified: true });
      expect(await row(again.id)).toEqual({ title: 'Kim Lee', email: 'kim@example.org', emailVerified: true });
    });

    it('lists the newest activity first, ties newest conversation first, and pages through each row exactly once', async () => {
      // Activity at 5000, 3000 (three at once), 2000 (two at once) and the seeded 1000.
      const ids: Record<string, number> = {};
      for (const [name, at] of [['a', 3000], ['b', 2000], ['c', 5000], ['d', 3000], ['e', 2000], ['f', 3000]] as const) {
        ids[name] = (await newConversation(500)).id;
        await say(ids[name]!, `from ${name}`, at);
      }
      const newestFirst = [ids.c, ids.f, ids.d, ids.a, ids.e, ids.b, seeded];
      const first = await storage.conversations.list({ status: 'all', limit: 3 }, nobodyOnline);
      expect(first.conversations.map((c) => c.lastMessagePreview)).toEqual(['from c', 'from f', 'from d']);
      for (const limit of [1, 2, 3, 6]) {
        const pages = await allPages({ status: 'all', limit });
        expect(pages.flat()).toEqual(newestFirst);
        expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
      }
      // Exactly a page's worth: no next cursor, no empty page after it.
      expect(await allPages({ status: 'all', limit: 7 })).toEqual([newestFirst]);
    });

    it("filters by status and by owner (mine, nobody's), alone and together, and pages within the filter", async () => {
      const conversations: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const { id } = await newConversation(500);
        await say(id, `visitor ${i}`, 2000 + i * 100);
        conversations.push(id);
      }
      const [c0, c1, c2, c3, c4, c5] = conversations as [number, number, number, number, number, number];
      for (const id of [c1, c3, c4]) await storage.conversations.setAssignee(id, agentId);
      for (const id of [c2, c3]) await storage.conversations.setStatus(id, 'complete');
      expect((await allPages({ status: 'open', limit: 2 })).flat()).toEqual([c5, c4, c1, c0, seeded]);
      expect((await allPages({ status: 'complete', limit: 1 })).flat()).toEqual([c3, c2]);
      expect((await allPages({ status: 'all', assigneeId: agentId, limit: 2 })).flat()).toEqual([c4, c3, c1]);
      expect((await allPages({ status: 'open', assigneeId: agentId, limit: 1 })).flat()).toEqual([c4, c1]);
      expect((await allPages({ status: 'all', assigneeId: null, limit: 2 })).flat()).toEqual([c5, c2, c0, seeded]);
      expect((await allPages({ status: 'complete', assigneeId: null, limit: 2 })).flat()).toEqual([c2]);
      expect((await allPages({ status: 'all', assigneeId: agentId + 1, limit: 2 })).flat()).toEqual([]);
    });

    it('answers every page with the number of open conversations holding unread visitor messages', async () => {
      const unread = async () => {
        const { unreadConversations } = await storage.conversations.list({ status: 'complete', limit: 1 }, nobodyOnline);
        const count = await storage.conversations.unreadCount();
        expect(unreadConversations).toBe(count);
        return count;
      };
      expect(await unread()).toBe(0);
      const a = await newConversation(500);
      const b = await newConversation(500);
      const c = await newConversation(500);
      await say(a.id, 'one', 2000);
      await say(a.id, 'two', 2100);
      await say(b.id, 'hi', 2200);
      await say(c.id, 'hey', 2300);
      expect(await unread()).toBe(3);
      await storage.conversations.markReadByAgents(a.id);
      await reply(b.id, 'Hello!', 2400);
      expect(await unread()).toBe(1);
      await storage.conversations.setStatus(c.id, 'complete');
      expect(await unread()).toBe(0);
      expect((await summary(c.id)).unreadCount).toBe(1);
    });

    it('reads a cursor the API would refuse as it always has: junk keeps no row, huge numbers keep every row', async () => {
      const early = await newConversation(500);
      await say(early.id, 'early', 2000);
      const late = await newConversation(500);
      await say(late.id, 'late', 3000);
      const after = async (cursor: string) =>
        (await storage.conversations.list({ status: 'all', limit: 10, cursor }, nobodyOnline)).conversations.map((c) => c.id);
      expect(await after(`3000_${late.id}`)).toEqual([early.id, seeded]);
      expect(await after('99999999999999999999_1')).toEqual([late.id, early.id, seeded]);
      expect(await after(`3000_99999999999999999999`)).toEqual([late.id, early.id, seeded]);
      expect(await after('x_y')).toEqual([]);
      expect(await after('3000.2_0')).toEqual([late.id, early.id, seeded]);
      expect(await after('2999.8_999')).toEqual([early.id, seeded]);
      expect(await after(`3000_${late.id}.2`)).toEqual([late.id, early.id, seeded]);
      expect(await after('2000_x')).toEqual([seeded]);
    });

    it('shows who owns a conversation, as set, changed and cleared', async () => {
      await storage.conversations.setAssignee(seeded, agentId);
      expect(await summary(seeded)).toMatchObject({ assigneeId: agentId, assigneeName: 'Ada' });
      await storage.conversations.setAssignee(seeded, null);
      expect(await summary(seeded)).toMatchObject({ assigneeId: null, assigneeName: null });
    });

    it('lets a reply take a conversation nobody owns, and only such a one', async () => {
      const { id } = await newConversation(500);
      expect(await storage.conversations.assignIfUnassigned(id, agentId)).toBe(true);
      expect(await storage.conversations.assignIfUnassigned(id, agentId)).toBe(false);
      expect((await summary(id)).assigneeId).toBe(agentId);
      expect(await storage.conversations.assignIfUnassigned(id + 100, agentId)).toBe(false);
    });

    it('gives a conversation to exactly one of two replies racing for it from two servers', async () => {
      const { id } = await newConversation(500);
      // The first reply's transaction takes the conversation and holds on before committing, so the
      // second one's claim arrives while the first is uncommitted (on PostgreSQL: blocks on the row).
      let claimed!: () => void;
      const firstClaimed = new Promise<void>((resolve) => (claimed = resolve));
      const first = storage.transaction(async (tx) => {
        const took = await tx.conversations.assignIfUnassigned(id, agentId);
        claimed();
        await new Promise((resolve) => setTimeout(resolve, 150));
        return took;
      });
      await firstClaimed;
      const second = storage.transaction((tx) => tx.conversations.assignIfUnassigned(id, agentId));
      expect(await Promise.all([first, second])).toEqual([true, false]);
    });
  });
}
