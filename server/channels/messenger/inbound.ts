// Translates Meta's webhook events into conversation calls: a person's message, an echo of a reply
// typed in Meta Business Suite, a delivery or read report. Events are stored in order and the webhook
// answers 200 once they are on disk; the profile lookup runs afterwards.
import type { MessengerConfig } from '../../config';
import type { Conversations } from '../../conversations';
import type { Attachment } from '../../../shared/protocol';
import type { Storage } from '../../storage';
import { needsCopy } from './attachmentCopies';
import type { GraphClient } from './graphClient';
import { storedContent } from './messageContent';
import { messagingEvent, type MessagingEvent } from './webhookPayload';

type MessengerMessage = NonNullable<MessagingEvent['message']>;

export interface Inbound {
  /** Every event of a verified webhook POST, in order; events of other or broken shapes are skipped. */
  receive(events: unknown[]): Promise<void>;
}

export function createInbound(deps: {
  storage: Storage;
  conversations: Conversations;
  config: MessengerConfig;
  graph: GraphClient;
  now: () => number;
  isOwnEcho: (psid: string, mid: string, text: string | undefined) => boolean;
  inBackground: (task: () => Promise<void>) => void;
  /** Keeps our own copy of the files a stored message names (Meta's addresses expire). */
  copyAttachments: (messageId: number, attachments: Attachment[]) => Promise<void>;
}): Inbound {
  const { storage, conversations, config, now } = deps;
  const participants = storage.messenger;
  /** PSIDs whose name was asked for since start: once each, even when Meta would not tell. */
  const askedForName = new Set<string>();

  function lookUpName(psid: string, participantId: number, conversationId: number): void {
    if (askedForName.has(psid)) return;
    askedForName.add(psid);
    deps.inBackground(async () => {
      const name = await deps.graph.profileName(psid);
      if (!name) return; // the title stays "Messenger user"
      participants.setParticipantName(participantId, name);
      conversations.refreshConversation(conversationId);
    });
  }

  /** Our own page's message: one we sent (already stored) or one typed in Meta Business Suite. */
  function isOurs(psid: string, message: MessengerMessage): boolean {
    if (config.appId !== null && message.app_id === config.appId) return true;
    return deps.isOwnEcho(psid, message.mid, message.text);
  }

  async function receiveMessage(event: MessagingEvent, message: MessengerMessage): Promise<void> {
    const echo = message.is_echo === true;
    // An echo goes from the page to the person: the conversation is the recipient's.
    const psid = echo ? event.recipient.id : event.sender.id;
    if (echo && isOurs(psid, message)) return;
    const content = storedContent(message);
    if (!content) return;
    const at = now();
    // Meta's time of the message, unless it claims to be from the future.
    const createdAt = Math.min(event.timestamp ?? at, at);
    let participant: { id: number; name: string | null } | null = null;
    // A mid stored before (a retried delivery, or the echo of a send whose mid we saved) is skipped here.
    const stored = await conversations.storeChannelMessage({
      // A new sender's participant and conversation commit with their first message.
      place: () => {
        const found = participants.conversationOfPsid(psid, at);
        participant = found.participant;
        return {
          conversationId: found.conversation.id,
          author: echo ? 'agent' : 'visitor',
          channel: 'messenger',
          body: content.body,
          attachments: content.attachments,
          externalId: message.mid,
          deliveryState: echo ? 'sent' : null,
          createdAt,
        };
      },
      alongside: () => {
        if (!echo && participant) storage.conversations.participantSeen(participant.id, at);
      },
    });
    // After the webhook has answered: Meta's files are downloaded in the background.
    const { message: storedMessage } = stored;
    if (!stored.duplicate && needsCopy(storedMessage.attachments)) {
      deps.inBackground(() => deps.copyAttachments(storedMessage.id, storedMessage.attachments!));
    }
    const sender = participant as { id: number; name: string | null } | null;
    if (sender && !sender.name) lookUpName(psid, sender.id, stored.message.conversationId);
  }

  function receiveReport(psid: string, state: 'delivered' | 'read', watermark: number, mids?: string[]): void {
    const conversation = participants.knownConversationOfPsid(psid);
    if (!conversation) return;
    for (const id of participants.messagesReportedOn({ conversationId: conversation.id, state, watermark, mids })) {
      conversations.updateDelivery(id, { state });
    }
  }

  async function receiveEvent(event: MessagingEvent): Promise<void> {
    if (event.message) await receiveMessage(event, event.message);
    // Reports come from the person (sender) about our messages to them.
    if (event.delivery) receiveReport(event.sender.id, 'delivered', event.delivery.watermark, event.delivery.mids);
    if (event.read) receiveReport(event.sender.id, 'read', event.read.watermark);
  }

  return {
    async receive(events) {
      for (const raw of events) {
        const event = messagingEvent.safeParse(raw);
        if (event.success) await receiveEvent(event.data);
      }
    },
  };
}
