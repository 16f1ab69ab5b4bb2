// The open conversation's reply area: where the reply goes (the channel picker, following the visitor's
// presence by itself), Messenger's reply window and tag, "Send chat thread" on email, and the box itself;
// beside "Reply", a "Private note" mode for agents only. Mounted once per conversation (keyed by its
// id), so choices made here end with it.
import { useState } from 'preact/hooks';
import { messengerWindow, type ChannelSupport } from '../../shared/channels';
import type { ConversationSummary } from '../../shared/protocol';
import type { ReplyInput, SavedResponseList, TranscriptInput } from '../api/client';
import { ChannelPicker } from './ChannelPicker';
import { NoteComposer } from './NoteComposer';
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
  /** When given, a "Private note" mode beside "Reply" adds notes with it. */
  onAddNote?: (body: string) => Promise<void>;
  initialText?: string;
  onTextChange?: (text: string) => void;
  onTyping?: () => void;
  loadSavedResponses?: () => Promise<SavedResponseList>;
  /** Pins the clock for tests; the page lets Messenger's countdown tick on its own. */
  now?: number;
}

type Mode = 'reply' | 'note';
const MODES: { value: Mode; label: string }[] = [
  { value: 'reply', label: 'Reply' },
  { value: 'note', label: 'Private note' },
];
const modeTabId = (mode: Mode) => `composer-mode-${mode}`;
const MODE_PANEL_ID = 'composer-mode-panel';

/** "Reply" / "Private note": a tab list, arrows move between them, only the chosen one is in the Tab order. */
function ModeTabs({ mode, onMode }: { mode: Mode; onMode: (mode: Mode, byKeyboard: boolean) => void }) {
  return (
    <div class="composer-modes" role="tablist" aria-label="Write">
      {MODES.map((m, i) => (
        <button
          key={m.value}
          type="button"
          role="tab"
          id={modeTabId(m.value)}
          class={`composer-mode composer-mode-${m.value}`}
          aria-selected={m.value === mode}
          aria-controls={MODE_PANEL_ID}
          tabIndex={m.value === mode ? 0 : -1}
          onClick={() => onMode(m.value, false)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            e.preventDefault();
            const next = MODES[(i + (e.key === 'ArrowRight' ? 1 : MODES.length - 1)) % MODES.length]!.value;
            onMode(next, true);
            document.getElementById(modeTabId(next))?.focus();
          }}
        >
          {m.label}
        </button>
      ))}
    </div>
  );
}

export function ReplyPanel({ conversation, support, onReply, onSendTranscript, onAddNote, now: pinnedNow, ...box }: Props) {
  const [mode, setMode] = useState<{ value: Mode; byKeyboard: boolean }>({ value: 'reply', byKeyboard: false });
  const [noteText, setNoteText] = useState('');
  const { options, channel, usable, pick } = useReplyChannel(conversation, support);
  const [tagged, setTagged] = useState(false);
  const ticking = useNow(30_000);
  const now = pinnedNow ?? ticking;
  const replyWindow = channel === 'messenger' ? messengerWindow(conversation.lastInboundAt, now) : null;
  const needsTag = replyWindow?.state === 'humanAgent';
  const blocked = !usable || replyWindow?.state === 'closed' || (needsTag && !tagged);

  const reply = (
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
      onSend={(body, clientId, attachmentIds) =>
        onReply({ body, clientId, channel, ...(attachmentIds.length > 0 && { attachmentIds }), ...(needsTag && { messengerTag: 'HUMAN_AGENT' }) })
      }
      onSendThread={
        channel === 'email' && conversation.kind === 'web'
          ? (note, clientId) => onSendTranscript({ ...(note && { note }), clientId })
          : undefined
      }
    />
  );
  if (!onAddNote) return reply;

  const noting = mode.value === 'note';
  return (
    <div class="reply-panel">
      <ModeTabs mode={mode.value} onMode={(value, byKeyboard) => setMode({ value, byKeyboard })} />
      {/* Unnamed on purpose: labelled by its tab, it would answer to "Private note" like the textbox does. */}
      <div id={MODE_PANEL_ID} role="tabpanel">
        {/* Hidden, not unmounted: the reply's text, channel and tag survive a note written in between. */}
        <div hidden={noting}>{reply}</div>
        {noting && <NoteComposer onAdd={onAddNote} text={noteText} onTextChange={setNoteText} autoFocus={!mode.byKeyboard} />}
      </div>
    </div>
  );
}
