// Which channel the reply box sends on: the conversation's default as it is right now (chat while a web
// visitor is online and an agent is available, else email when an email is known), until the agent picks one by hand.
// The caller mounts it once per conversation, so a hand-picked channel lasts until they switch conversation.
import { useState } from 'preact/hooks';
import { defaultReplyChannel, replyChannelOptions, type ChannelSupport } from '../../shared/channels';
import type { Channel, ConversationSummary } from '../../shared/protocol';
import { anyoneAvailable, useTeam } from './team';

export function useReplyChannel(conversation: ConversationSummary, support: ChannelSupport) {
  const [picked, setPicked] = useState<Channel | null>(null);
  const agentsAvailable = anyoneAvailable(useTeam());
  const options = replyChannelOptions(conversation, support);
  const usable = (channel: Channel | null): boolean => options.some((o) => o.channel === channel && o.enabled);
  // Derived on every render rather than stored: presence and team frames move the default without an effect.
  const channel = picked !== null && usable(picked) ? picked : defaultReplyChannel(conversation, support, agentsAvailable);
  return { options, channel, usable: usable(channel), pick: setPicked };
}
