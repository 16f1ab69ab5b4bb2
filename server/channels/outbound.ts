// The contract between the conversation service and a channel that delivers agent replies somewhere
// other than the widget (email, Messenger). The service stores the reply; the channel makes its
// delivery durable inside the same transaction, then delivers it and reports back through
// `conversations.updateDelivery`. Chat needs none of this: the hub delivers it.
import type { ChatMessage, ConversationSummary } from '../../shared/protocol';
import type { Stores } from '../storage';

export interface ReplyOptions {
  /** Messenger: send with the HUMAN_AGENT tag (allowed up to 7 days after the person wrote). */
  messengerTag?: 'HUMAN_AGENT';
  /** Email: this reply is the "Send chat thread" transcript. */
  transcript?: boolean;
}

/** A reply this channel cannot deliver now; the message tells the agent why and what to do. */
export class ReplyRefusedError extends Error {}

export interface OutboundChannel {
  /** Throws ReplyRefusedError for a reply that cannot be delivered (before anything is stored). */
  check(conversation: ConversationSummary, options: ReplyOptions): Promise<void>;
  /** Runs inside the reply's transaction (`tx`): queue the delivery so a crash cannot lose it. */
  enqueue(tx: Stores, message: ChatMessage, conversation: ConversationSummary, options: ReplyOptions): Promise<void>;
  /** Runs after the commit: start delivering now rather than at the next poll. */
  dispatch(message: ChatMessage, options: ReplyOptions): void;
}
