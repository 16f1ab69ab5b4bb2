// The inbox's contact panel, the same on every engine (testing/engines.ts): who the person behind a
// conversation is, where they are on the site, what they browse with, and their other conversations.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ContactPanel } from '../../shared/protocol';
import type { Visit } from './conversations';
import type { Storage } from './index';
import { storageEngines } from './testing/engines';

const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const nothingPending = () => undefined;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of storageEngines()) {
  describe(`the contact panel on ${engine.name}`, () => {
    let storage: Storage;

    beforeEach(async () => {
      storage = await engine.open();
    }, 120_000);
    afterAll(() => engine.close());

    const newConversation = async (now: number) => {
      const { visitor } = await storage.conversations.createVisitor(now);
      const conversation = await storage.conversations.createConversation(visitor.id, now);
      return { id: conversation.id, visitorId: visitor.id, visitorCreatedAt: visitor.createdAt };
    };
    const say = (conversationId: number, body: string, now: number) =>
      storage.transaction((tx) => tx.conversations.insertMessage({ conversationId, author: 'visitor', body, now }));
    const panel = async (conversationId: number, pending: (visitorId: number) => Visit | undefined = nothingPending) =>
      (await storage.conversations.contactPanel(conversationId, pending))!;

    it("shows an anonymous web visitor's last visit: page, referrer, browser and OS, and this one conversation", async () => {
      const { id, visitorId, visitorCreatedAt } = await newConversation(1000);
      await storage.conversations.recordVisits(
        new Map([[visitorId, { at: 4000, pageUrl: 'https://shop.example/cart', referrer: 'https://search.example/', userAgent: CHROME_ON_WINDOWS }]]),
      );
      expect(await panel(id)).toEqual({
        name: null,
        email: null,
        emailVerified: false,
        firstSeen: visitorCreatedAt,
        lastSeen: 4000,
        pageUrl: 'https://shop.example/cart',
        referrer: 'https://search.example/',
        browser: 'Chrome 131',
        os: 'Windows 10',
        conversationCount: 1,
        otherConversations: [],
      } satisfies ContactPanel);
    });

    it('shows a visit not yet written over the stored one, and keeps what the new visit does not say', async () => {
      const { id, visitorId } = await newConversation(1000);
      await storage.conversations.recordVisits(
        new Map([[visitorId, { at: 4000, pageUrl: 'https://shop.example/cart', referrer: 'https://search.example/', userAgent: CHROME_ON_WINDOWS }]]),
      );
      const pending = (visitor: number): Visit | undefined =>
        visitor === visitorId ? { at: 5000, pageUrl: 'https://shop.example/pay', referrer: null, userAgent: SAFARI_ON_IPHONE } : undefined;
      expect(await panel(id, pending)).toMatchObject({
        lastSeen: 5000,
        pageUrl: 'https://shop.example/pay',
        referrer: 'https://search.example/',
        browser: 'Safari 17',
        os: expect.stringMatching(/^iOS 17/),
      });
    });

    it('says nothing about the browser rather than guessing when no user agent is known', async () => {
      const { id } = await newConversation(1000);
      expect(await panel(id)).toMatchObject({ browser: null, os: null, pageUrl: null, referrer: null, lastSeen: 1000 });
    });

    it("gathers a contact's other conversations, from every visitor with that proven address, newest first", async () => {
      const first = await newConversation(1000);
      await storage.conversations.identifyVisitor(first.visitorId, { email: 'kim@example.org', verified: true });
      await say(first.id, 'first visit', 2000);
      await pause(5); // visitors take their creation time from the clock: Kim's second one is later
      const second = await newConversation(1000);
      await storage.conversations.identifyVisitor(second.visitorId, { email: 'Kim@example.org', name: 'Kim Lee', verified: true });
      await say(second.id, 'second visit', 3000);
      const third = await newConversation(1000);
      await storage.conversations.identifyVisitor(third.visitorId, { email: 'kim@example.org', verified: true });
      await say(third.id, 'third visit', 2500);
      await storage.conversations.setStatus(first.id, 'complete');
      // Someone else, and someone who only typed Kim's address: neither is Kim's.
      const stranger = await newConversation(1000);
      await storage.conversations.identifyVisitor(stranger.visitorId, { email: 'lin@example.org', verified: true });
      const claimant = await newConversation(1000);
      await storage.conversations.identifyVisitor(claimant.visitorId, { email: 'kim@example.org', name: 'Not Kim', verified: false });

      expect(await panel(second.id)).toMatchObject({
        name: 'Kim Lee',
        email: 'kim@example.org',
        emailVerified: true,
        firstSeen: first.visitorCreatedAt,
        conversationCount: 3,
        otherConversations: [
          { id: third.id, lastMessageAt: 2500, lastMessagePreview: 'third visit', status: 'open' },
          { id: first.id, lastMessageAt: 2000, lastMessagePreview: 'first visit', status: 'complete' },
        ],
      });
      expect(first.visitorCreatedAt).toBeLessThan(second.visitorCreatedAt);
      expect((await panel(first.id)).otherConversations.map((c) => c.id)).toEqual([second.id, third.id]);
      expect(await panel(claimant.id)).toMatchObject({
        name: 'Not Kim',
        email: 'kim@example.org',
        emailVerified: false,
        firstSeen: claimant.visitorCreatedAt,
        conversationCount: 1,
        otherConversations: [],
      });
      expect((await panel(stranger.id)).conversationCount).toBe(1);
    });

    it('has no panel for a conversation that does not exist', async () => {
      expect(await storage.conversations.contactPanel(1_000_000, nothingPending)).toBeNull();
    });
  });
}
