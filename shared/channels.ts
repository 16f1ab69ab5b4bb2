// Which channels an agent can answer a conversation on, and which one the composer picks by itself.
// One rule for the inbox (the dropdown) and the server (which refuses what the rule refuses).
import type { Channel, ChannelSupport, ConversationSummary } from './protocol';

/** Declared with the session that carries it (protocol.ts); the rules below take it. */
export type { ChannelSupport };

export const CHANNEL_LABELS: Record<Channel, string> = { chat: 'Web Chat', email: 'Email', messenger: 'Messenger' };

/** Messenger: a normal reply is allowed for 24 h after the person's last message. */
export const MESSENGER_STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Messenger: with the HUMAN_AGENT tag, a person may still reply for up to 7 days. */
export const MESSENGER_HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface ChannelOption {
  channel: Channel;
  label: string;
  /** False when the option is shown but cannot be used now; `reason` says why. */
  enabled: boolean;
  reason?: string;
}

type ReplyContext = Pick<ConversationSummary, 'kind' | 'email' | 'online' | 'lastInboundAt'>;

/** The composer's dropdown for this conversation, in display order. */
export function replyChannelOptions(conversation: ReplyContext, support: ChannelSupport): ChannelOption[] {
  const option = (channel: Channel, enabled: boolean, reason?: string): ChannelOption =>
    enabled ? { channel, label: CHANNEL_LABELS[channel], enabled } : { channel, label: CHANNEL_LABELS[channel], enabled, reason };
  switch (conversation.kind) {
    case 'web':
      return [
        option('chat', true),
        conversation.email
          ? option('email', support.email, 'Email sending is not configured')
          : option('email', false, 'No email address known for this visitor yet'),
      ];
    case 'email':
      return [option('email', support.email, 'Email sending is not configured')];
    case 'messenger':
      return [option('messenger', support.messenger, 'Messenger is not configured on this server')];
  }
}

/**
 * Chat while the visitor is online and an agent is available; email (when an email is known) once the
 * visitor is gone, or while every agent is Away: then the widget asked the visitor for their email.
 */
export function defaultReplyChannel(conversation: ReplyContext, support: ChannelSupport, agentsAvailable = true): Channel {
  const enabled = replyChannelOptions(conversation, support).filter((o) => o.enabled);
  const chatLive = conversation.online && agentsAvailable;
  if (conversation.kind === 'web' && !chatLive && enabled.some((o) => o.channel === 'email')) return 'email';
  return enabled[0]?.channel ?? replyChannelOptions(conversation, support)[0]!.channel;
}

export type MessengerWindow =
  /** A normal reply is allowed until `until`. */
  | { state: 'standard'; until: number }
  /** Only a reply tagged HUMAN_AGENT is allowed, until `until`. */
  | { state: 'humanAgent'; until: number }
  /** Nothing can be sent until the person writes again. */
  | { state: 'closed' };

export function messengerWindow(lastInboundAt: number | null, now: number): MessengerWindow {
  if (lastInboundAt === null) return { state: 'closed' };
  if (now < lastInboundAt + MESSENGER_STANDARD_WINDOW_MS) return { state: 'standard', until: lastInboundAt + MESSENGER_STANDARD_WINDOW_MS };
  if (now < lastInboundAt + MESSENGER_HUMAN_AGENT_WINDOW_MS) return { state: 'humanAgent', until: lastInboundAt + MESSENGER_HUMAN_AGENT_WINDOW_MS };
  return { state: 'closed' };
}
