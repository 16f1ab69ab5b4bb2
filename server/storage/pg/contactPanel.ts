// What the inbox shows about the person behind a conversation, in PostgreSQL: who they are, where they
// are on the site, what they browse with, and their other conversations (same contact email). An
// address a visitor only typed is shown as theirs, but joins them to no contact's name or
// conversations. The same queries as sqlite/contactPanel.ts.
import { and, desc, eq, min, ne, sql } from 'drizzle-orm';
import type { ContactPanel } from '../../../shared/protocol';
import type { PgDb } from '../../db/pg/open';
import { contacts, conversations, visitors } from '../../db/pg/schema';
import type { Visit } from '../conversations';
// Engine-neutral (Bowser only), shared so both engines name a browser alike.
import { describeUserAgent } from '../conversations';

export async function contactPanel(
  db: PgDb,
  conversationId: number,
  pendingVisit: (visitorId: number) => Visit | undefined,
): Promise<ContactPanel | null> {
  const [row] = await db
    .select({
      visitorId: visitors.id,
      contactId: visitors.contactId,
      visitorName: visitors.name,
      contactName: contacts.name,
      email: sql<string | null>`coalesce(${contacts.email}, ${visitors.unverifiedEmail})`,
      emailVerified: sql<boolean>`${contacts.id} is not null`,
      firstSeen: visitors.createdAt,
      lastSeen: visitors.lastSeenAt,
      pageUrl: visitors.pageUrl,
      referrer: visitors.referrer,
      userAgent: visitors.userAgent,
    })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .leftJoin(contacts, eq(contacts.id, visitors.contactId))
    .where(eq(conversations.id, conversationId));
  if (!row) return null;
  const visit = pendingVisit(row.visitorId);
  const { contactId } = row;
  const [others, contactFirstSeen] =
    contactId === null
      ? [[], null]
      : await Promise.all([
          db
            .select({
              id: conversations.id,
              lastMessageAt: conversations.lastMessageAt,
              lastMessagePreview: conversations.lastMessagePreview,
              status: conversations.status,
            })
            .from(conversations)
            .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
            .where(and(eq(visitors.contactId, contactId), ne(conversations.id, conversationId)))
            // SQLite orders by last_message_at alone; the id only makes a tie come out the same every time.
            .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
            .limit(50),
          db
            .select({ at: min(visitors.createdAt) })
            .from(visitors)
            .where(eq(visitors.contactId, contactId))
            .then(([first]) => first?.at ?? null),
        ]);
  const { browser, os } = describeUserAgent(visit?.userAgent ?? row.userAgent);
  // No spread into the literal: see messageFromRow in ../conversations.ts for what that costs on Node 20.
  return {
    name: row.contactName ?? row.visitorName,
    email: row.email,
    emailVerified: row.emailVerified,
    firstSeen: contactFirstSeen ?? row.firstSeen,
    lastSeen: visit?.at ?? row.lastSeen,
    pageUrl: visit?.pageUrl ?? row.pageUrl,
    referrer: visit?.referrer ?? row.referrer,
    browser,
    os,
    conversationCount: others.length + 1,
    otherConversations: others,
  };
}
