// The open conversation's reply area: where the reply goes (the channel picker, following the visitor's
// presence by itself), Messenger's reply window and tag, "Send chat thread" on email, and the box itself.
// Mounted once per conversation (keyed by its id), so choices made here end with it.
import { useState } from 'preact/hooks';
import { messengerWindow, type ChannelSupport } from '../../shared/channels';
import type { ConversationSummary } from '../../shared/protocol';
import type { ReplyInput, SavedResponseList, TranscriptInput } from '../api/client';
import { ChannelPicker } from './ChannelPicker';
import { MessengerWindowNote } from './MessengerWindowNote';
import { ReplyComposer } from './ReplyComposer';
import { useNow } from '../state/useNow';
import { useReplyChannel } from '../state/useReplyChannel';

interface Props {
  conversation: ConversationSummary;
  support: ChannelSupport;
  /** Resolve once stored; reject with the server's reason (a refusal), which is shown by the box. */
  onReply: (input: ReplyInput) => Promise<void>;
  onSendTranscript: (input: TranscriptInput) => Promise<void>;
  initialText?: string;
  onTextChange?: (text: string) => void;
  onTyping?: () => void;
  loadSavedResponses?: () => Promise<SavedResponseList>;
  /** Pins the clock for tests; the page lets Messenger's countdown tick on its own. */
  now?: number;
}

export function ReplyPanel({ conversation, support, onReply, onSendTranscript, now: pinnedNow, ...box }: Props) {
  const { options, channel, usable, pick } = useReplyChannel(conversation, support);
  const [tagged, setTagged] = useState(false);
  const ticking = useNow(30_000);
  const now = pinnedNow ?? ticking;
  const replyWindow = channel === 'messenger' ? messengerWindow(conversation.lastInboundAt, now) : null;
  const needsTag = replyWindow?.state === 'humanAgent';
  const blocked = !usable || replyWindow?.state === 'closed' || (needsTag && !tagged);

  return (
    <ReplyComposer
      {...box}
      recipient={conversation.title}
      channel={channel}
      sendBlocked={blocked}
      toolbar={
        <div class="reply-channel">
          <ChannelPicker options={options} channel={channel} onPick={pick} email={conversation.email} />
          {replyWindow && <MessengerWindowNote replyWindow={replyWindow} now={now} tagged={tagged} onTagged={setTagged} />}
        </div>
      }
      onSend={(body, clientId) => onReply({ body, clientId, channel, ...(needsTag && { messengerTag: 'HUMAN_AGENT' }) })}
      onSendThread={
        channel === 'email' && conversation.kind === 'web'
          ? (note, clientId) => onSendTranscript({ ...(note && { note }), clientId })
          : undefined
      }
    />
  );
}
