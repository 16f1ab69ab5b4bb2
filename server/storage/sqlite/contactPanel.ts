// What the inbox shows about the person behind a conversation: who they are, where they are on the
// site, what they browse with, and their other conversations (same contact email). An address a
// visitor only typed is shown as theirs, but joins them to no contact's name or conversations.
import type { ContactPanel } from '../../../shared/protocol';
import { preparedOnce, type Db } from '../../db';
import { describeUserAgent, type Visit } from '../conversations';

interface PanelRow {
  visitorId: number;
  contactId: number | null;
  visitorName: string | null;
  contactName: string | null;
  email: string | null;
  emailVerified: 0 | 1;
  firstSeen: number;
  lastSeen: number;
  pageUrl: string | null;
  referrer: string | null;
  userAgent: string | null;
}

// Opening a conversation runs these; prepared once per database.
const statementsFor = preparedOnce((db: Db) => ({
    panel: db.$client.prepare<[number], PanelRow>(
      `select v.id as visitorId, v.contact_id as contactId, v.name as visitorName, c.name as contactName,
         coalesce(c.email, v.unverified_email) as email, c.id is not null as emailVerified,
         v.created_at as firstSeen, v.last_seen_at as lastSeen, v.page_url as pageUrl, v.referrer, v.user_agent as userAgent
       from conversations cv join visitors v on v.id = cv.visitor_id left join contacts c on c.id = v.contact_id
       where cv.id = ?`,
    ),
    others: db.$client.prepare<[number, number], ContactPanel['otherConversations'][number]>(
      `select cv.id, cv.last_message_at as lastMessageAt, cv.last_message_preview as lastMessagePreview, cv.status
       from conversations cv join visitors v on v.id = cv.visitor_id
       where v.contact_id = ? and cv.id != ? order by cv.last_message_at desc limit 50`,
    ),
    firstSeen: db.$client.prepare<[number], number>('select min(created_at) from visitors where contact_id = ?').pluck(),
}));

export function contactPanel(db: Db, conversationId: number, pendingVisit: (visitorId: number) => Visit | undefined): ContactPanel | null {
  const statements = statementsFor(db);
  const row = statements.panel.get(conversationId);
  if (!row) return null;
  const visit = pendingVisit(row.visitorId);
  const others = row.contactId === null ? [] : statements.others.all(row.contactId, conversationId);
  const firstSeen = row.contactId === null ? row.firstSeen : (statements.firstSeen.get(row.contactId) ?? row.firstSeen);
  const { browser, os } = describeUserAgent(visit?.userAgent ?? row.userAgent);
  // No spread into the literal: see messageFromRow in ../conversations.ts for what that costs on Node 20.
  return {
    name: row.contactName ?? row.visitorName,
    email: row.email,
    emailVerified: row.emailVerified === 1,
    firstSeen,
    lastSeen: visit?.at ?? row.lastSeen,
    pageUrl: visit?.pageUrl ?? row.pageUrl,
    referrer: visit?.referrer ?? row.referrer,
    browser,
    os,
    conversationCount: others.length + 1,
    otherConversations: others,
  };
}
