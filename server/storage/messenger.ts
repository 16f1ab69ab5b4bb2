// What the Messenger channel keeps: a participant per page-scoped id (PSID), never a contact, and
// the replies whose delivery Messenger reports on. Messages themselves go through the conversation
// service. sqlite/messenger.ts implements it.
import type { Attachment } from '../../shared/protocol';
import type { ConversationRow, VisitorRow } from './conversations';

export interface DeliveryReport {
  conversationId: number;
  state: 'delivered' | 'read';
  /** Messages created at or before this time are covered. */
  watermark: number;
  /** Messages the report names by mid, whatever their time. */
  mids?: string[];
}

export interface MessengerStore {
  /**
   * The sender's participant and conversation, created when first seen (a PSID has one
   * conversation); call inside the transaction of the message that needs them.
   */
  conversationOfPsid(psid: string, now: number): Promise<{ participant: VisitorRow; conversation: ConversationRow }>;
  /** The conversation of a PSID we already know, or null (a report about someone never seen). */
  knownConversationOfPsid(psid: string): Promise<ConversationRow | null>;
  /** The name from the person's Messenger profile; the conversation's title shows it. */
  setParticipantName(participantId: number, name: string): Promise<void>;
  /** Who a reply in this conversation goes to, or null if it is not a Messenger conversation. */
  psidOfConversation(conversationId: number): Promise<string | null>;
  /** Our Messenger messages in the conversation that a delivery or read report moves forward. */
  messagesReportedOn(report: DeliveryReport): Promise<number[]>;
  /** Replies still queued that were stored before `queuedBefore`: older than any send in flight, so interrupted. */
  queuedReplies(queuedBefore: number): Promise<number[]>;
  /**
   * Recent Messenger messages whose files still point at Meta's addresses: their copies were cut
   * short by a restart. Meta's addresses expire within days, so older ones are not worth a try.
   */
  filesAwaitingCopies(): Promise<{ id: number; attachments: Attachment[] }[]>;
}
