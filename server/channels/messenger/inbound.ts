// Translates Meta's webhook events into conversation calls: a person's message, an echo of a reply
// typed in Meta Business Suite, a delivery or read report. Storage happens right here, synchronously,
// so the webhook can answer 200 once it is on disk; the profile lookup runs afterwards.
import type { MessengerConfig } from '../../config';
import { participantSeen, type Conversations } from '../../conversations';
import type { Db } from '../../db';
import type { GraphClient } from './graphClient';
import { storedContent } from './messageContent';
import { conversationOfPsid, knownConversationOfPsid, messagesReportedOn, setParticipantName } from './participants';
import { messagingEvent, type MessagingEvent } from './webhookPayload';

type MessengerMessage = NonNullable<MessagingEvent['message']>;

export interface Inbound {
  /** Every event of a verified webhook POST, in order; events of other or broken shapes are skipped. */
  receive(events: unknown[]): void;
}

export function createInbound(deps: {
  db: Db;
  conversations: Conversations;
  config: MessengerConfig;
  graph: GraphClient;
  now: () => number;
  isOwnEcho: (psid: string, mid: string, text: string | undefined) => boolean;
  inBackground: (task: () => Promise<void>) => void;
}): Inbound {
  const { db, conversations, config, now } = deps;
  /** PSIDs whose name was asked for since start: once each, even when Meta would not tell. */
  const askedForName = new Set<string>();

  function lookUpName(psid: string, participantId: number, conversationId: number): void {
    if (askedForName.has(psid)) return;
    askedForName.add(psid);
    deps.inBackground(async () => {
      const name = await deps.graph.profileName(psid);
      if (!name) return; // the title stays "Messenger user"
      setParticipantName(db, participantId, name);
      conversations.refreshConversation(conversationId);
    });
  }

  /** Our own page's message: one we sent (already stored) or one typed in Meta Business Suite. */
  function isOurs(psid: string, message: MessengerMessage): boolean {
    if (config.appId !== null && message.app_id === config.appId) return true;
    return deps.isOwnEcho(psid, message.mid, message.text);
  }

  function receiveMessage(event: MessagingEvent, message: MessengerMessage): void {
    const echo = message.is_echo === true;
    // An echo goes from the page to the person: the conversation is the recipient's.
    const psid = echo ? event.recipient.id : event.sender.id;
    if (echo && isOurs(psid, message)) return;
    const content = storedContent(message);
    if (!content) return;
    const at = now();
    const { participant, conversation } = conversationOfPsid(db, psid, at);
    // Meta's time of the message, unless it claims to be from the future.
    const createdAt = Math.min(event.timestamp ?? at, at);
    // A mid stored before (a retried delivery, or the echo of a send whose mid we saved) is skipped here.
    conversations.storeExternalMessage({
      conversationId: conversation.id,
      author: echo ? 'agent' : 'visitor',
      channel: 'messenger',
      body: content.body,
      attachments: content.attachments,
      externalId: message.mid,
      deliveryState: echo ? 'sent' : null,
      createdAt,
    });
    if (!echo) participantSeen(db, participant.id, at);
    if (!participant.name) lookUpName(psid, participant.id, conversation.id);
  }

  function receiveReport(psid: string, state: 'delivered' | 'read', watermark: number, mids?: string[]): void {
    const conversation = knownConversationOfPsid(db, psid);
    if (!conversation) return;
    for (const id of messagesReportedOn(db, { conversationId: conversation.id, state, watermark, mids })) {
      conversations.updateDelivery(id, { state });
    }
  }

  function receiveEvent(event: MessagingEvent): void {
    if (event.message) receiveMessage(event, event.message);
    // Reports come from the person (sender) about our messages to them.
    if (event.delivery) receiveReport(event.sender.id, 'delivered', event.delivery.watermark, event.delivery.mids);
    if (event.read) receiveReport(event.sender.id, 'read', event.read.watermark);
  }

  return {
    receive(events) {
      for (const raw of events) {
        const event = messagingEvent.safeParse(raw);
        if (event.success) receiveEvent(event.data);
      }
    },
  };
}
