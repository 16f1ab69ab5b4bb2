// Translates Meta's webhook events into conversation calls: a person's message or button tap, an echo
// of a reply typed in Meta Business Suite, an edit, a reaction, a delivery or read report. Events are
// stored in order and the webhook answers 200 once they are on disk; the profile lookup runs afterwards.
// Other kinds are logged once and ignored, never an error.
import type { Author } from '../../../shared/protocol';
import type { MessengerConfig } from '../../config';
import type { Conversations } from '../../conversations';
import type { Attachment } from '../../../shared/protocol';
import type { Storage } from '../../storage';
import { boundedText } from '../boundedText';
import { needsCopy } from './attachmentCopies';
import type { GraphClient } from './graphClient';
import { eventKind, ignoredEventLog, type IgnoredEventLog } from './ignoredEvents';
import { storedContent, TRUNCATION_MARKER, type StoredContent } from './messageContent';
import { postbackBody, postbackId } from './postbackContent';
import { withReaction } from './reactions';
import { messagingEvent, type MessagingEvent } from './webhookPayload';

type MessengerMessage = NonNullable<MessagingEvent['message']>;

/** The parts of an event Parley acts on; an event with none of them is of a kind it ignores. */
const KNOWN_PARTS = ['message', 'postback', 'message_edit', 'reaction', 'delivery', 'read'];
const actsOn = (raw: unknown) =>
  typeof raw === 'object' && raw !== null && KNOWN_PARTS.some((part) => Object.hasOwn(raw, part));

export interface Inbound {
  /** Every event of a verified webhook POST, in order; events of other or broken shapes are skipped. */
  receive(events: unknown[]): Promise<void>;
  /** An event kind Parley does not act on arrived (standby, …): logged once per kind. */
  ignored: IgnoredEventLog;
}

export function createInbound(deps: {
  storage: Storage;
  conversations: Conversations;
  config: MessengerConfig;
  graph: GraphClient;
  now: () => number;
  isOwnEcho: (psid: string, mid: string, text: string | undefined) => boolean;
  inBackground: (task: () => Promise<void>) => void;
  /** Where ignored event kinds are logged (default: console.warn, once per kind). */
  ignored?: IgnoredEventLog;
  /** Keeps our own copy of the files a stored message names (Meta's addresses expire). */
  copyAttachments: (messageId: number, attachments: Attachment[]) => Promise<void>;
}): Inbound {
  const { storage, conversations, config, now } = deps;
  const participants = storage.messenger;
  /** PSIDs whose name was asked for since start: once each, even when Meta would not tell. */
  const askedForName = new Set<string>();
  const ignored = deps.ignored ?? ignoredEventLog();

  function lookUpName(psid: string, participantId: number, conversationId: number): void {
    if (askedForName.has(psid)) return;
    askedForName.add(psid);
    deps.inBackground(async () => {
      const name = await deps.graph.profileName(psid);
      if (!name) return; // the title stays "Messenger user"
      await participants.setParticipantName(participantId, name);
      await conversations.refreshConversation(conversationId);
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
    if (content) await storeMessage(event, { psid, echo, externalId: message.mid, content });
  }

  /** A button tap is the person's message: it starts or continues their conversation like one. */
  async function receivePostback(event: MessagingEvent, postback: NonNullable<MessagingEvent['postback']>): Promise<void> {
    const psid = event.sender.id;
    const content = { body: postbackBody(postback), attachments: [] };
    await storeMessage(event, { psid, echo: false, externalId: postbackId(postback, psid, event.timestamp), content });
  }

  async function storeMessage(
    event: MessagingEvent,
    input: { psid: string; echo: boolean; externalId: string; content: StoredContent },
  ): Promise<void> {
    const { psid, echo, content } = input;
    const at = now();
    // Meta's time of the message, unless it claims to be from the future.
    const createdAt = Math.min(event.timestamp ?? at, at);
    let participant: { id: number; name: string | null } | null = null;
    // A mid stored before (a retried delivery, or the echo of a send whose mid we saved) is skipped here.
    const stored = await conversations.storeChannelMessage({
      // A new sender's participant and conversation commit with their first message.
      place: async (tx) => {
        const found = await tx.messenger.conversationOfPsid(psid, at);
        participant = found.participant;
        return {
          conversationId: found.conversation.id,
          author: echo ? ('agent' as const) : ('visitor' as const),
          channel: 'messenger' as const,
          body: content.body,
          attachments: content.attachments,
          externalId: input.externalId,
          deliveryState: echo ? ('sent' as const) : null,
          createdAt,
        };
      },
      alongside: async (tx) => {
        if (!echo && participant) await tx.conversations.participantSeen(participant.id, at);
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

  /** A stored Messenger message by its mid, if it belongs to this PSID's conversation. */
  async function messageOf(psid: string, mid: string) {
    const message = await storage.conversations.messageByExternalId('messenger', mid);
    if (!message) return null;
    const conversation = await participants.knownConversationOfPsid(psid);
    return conversation?.id === message.conversationId ? message : null;
  }

  /** The person changed a message's text; an edit of a message we never stored is ignored. */
  async function receiveEdit(event: MessagingEvent, edit: NonNullable<MessagingEvent['message_edit']>): Promise<void> {
    const message = await messageOf(event.sender.id, edit.mid);
    if (!message || message.author !== 'visitor') return;
    const body = boundedText((edit.text ?? '').trim(), TRUNCATION_MARKER);
    if (!body) return;
    const at = now();
    await conversations.editMessage(message.id, { body, editedAt: Math.min(event.timestamp ?? at, at) });
  }

  /** A reaction from the person, or echo-like from our page, to a message in their conversation. */
  async function receiveReaction(event: MessagingEvent, reaction: NonNullable<MessagingEvent['reaction']>): Promise<void> {
    let author: Author = 'visitor';
    let message = await messageOf(event.sender.id, reaction.mid);
    if (!message) {
      // Our page's reaction: from the page to the person, whose conversation is the recipient's.
      message = await messageOf(event.recipient.id, reaction.mid);
      author = 'agent';
    }
    if (!message) return;
    await conversations.updateReactions(message.id, (current) => withReaction(current, reaction, author));
  }

  async function receiveReport(psid: string, state: 'delivered' | 'read', watermark: number, mids?: string[]): Promise<void> {
    const conversation = await participants.knownConversationOfPsid(psid);
    if (!conversation) return;
    for (const id of await participants.messagesReportedOn({ conversationId: conversation.id, state, watermark, mids })) {
      await conversations.updateDelivery(id, { state });
    }
  }

  /** Acts on every part of the event Parley knows. */
  async function receiveEvent(event: MessagingEvent): Promise<void> {
    if (event.message) await receiveMessage(event, event.message);
    if (event.postback) await receivePostback(event, event.postback);
    if (event.message_edit) await receiveEdit(event, event.message_edit);
    if (event.reaction) await receiveReaction(event, event.reaction);
    // Reports come from the person (sender) about our messages to them.
    if (event.delivery) await receiveReport(event.sender.id, 'delivered', event.delivery.watermark, event.delivery.mids);
    if (event.read) await receiveReport(event.sender.id, 'read', event.read.watermark);
  }

  return {
    async receive(events) {
      for (const raw of events) {
        if (!actsOn(raw)) {
          ignored(eventKind(raw));
          continue;
        }
        const event = messagingEvent.safeParse(raw);
        if (event.success) await receiveEvent(event.data);
        else ignored(`unreadable ${eventKind(raw)}`);
      }
    },
    ignored,
  };
}
