// What happened to an email after we sent it (a bounce that came back, Resend's delivered, bounced and
// complained events), written onto its outbox row and shown on the reply it carried. It never sends
// anything, and it never creates a contact, a conversation or a message.
import type { DeliveryState } from '../../../shared/protocol';
import type { Conversations } from '../../conversations';
import type { OutboxRow, Storage } from '../../storage';

export interface DeliveryNews {
  state: Extract<DeliveryState, 'delivered' | 'bounced' | 'complained'>;
  /** Why, in words an agent can act on ("Mailbox does not exist (550 5.1.1)"); null for good news. */
  reason: string | null;
}

/** A later state may replace an earlier one, never the reverse: "delivered" arriving after a bounce changes nothing. */
const RANK: Record<DeliveryState, number> = { queued: 0, sent: 1, failed: 1, delivered: 2, read: 3, bounced: 4, complained: 4 };

export async function applyDeliveryNews(storage: Storage, conversations: Conversations, row: OutboxRow, news: DeliveryNews): Promise<void> {
  if (news.state !== 'delivered') await storage.email.updateOutboxEmail(row.id, { status: news.state, lastError: news.reason });
  // A follow-up re-sends chat replies by email; their chat delivery is not what it reports on.
  if (row.messageId === null || row.kind === 'followup') return;
  const current = (await storage.conversations.messageById(row.messageId))?.deliveryState ?? 'sent';
  if (RANK[news.state] < RANK[current] || (news.state === current && news.state === 'delivered')) return;
  await conversations.updateDelivery(row.messageId, { state: news.state, error: news.reason });
}
