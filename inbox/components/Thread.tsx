// The open conversation: who it is and whether they are online, then every message oldest first,
// visitor on the left, agent on the right, grouped by day, kept scrolled to the newest. Each message
// says how it travelled (and, going out by email or Messenger, how far it got). Private notes sit
// among the messages by time, in their own colour.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ChatMessage, ConversationSummary, Note as NoteRecord } from '../../shared/protocol';
import { AutomaticMessage } from './AutomaticMessage';
import { Avatar } from './Avatar';
import { ChannelHint } from './ChannelHint';
import { DeliveryBadge } from './DeliveryBadge';
import { EmailOriginal } from './EmailOriginal';
import { EditedMark } from './EditedMark';
import { BackIcon, CheckIcon } from './icons';
import { channelLabel, clockTime, dayLabel, fullTime, sameDay } from './format';
import { MessageAttachments } from './MessageAttachments';
import { MessageText } from './MessageText';
import { MessageReactions } from './MessageReactions';
import { Note } from './Note';
import { UnverifiedMark } from './UnverifiedMark';
import { useNow } from '../state/useNow';

interface Props {
  conversation: ConversationSummary;
  messages: ChatMessage[];
  /** Private notes, shown among the messages by time. */
  notes?: NoteRecord[];
  loading: boolean;
  error: string | null;
  onRetry: () => void;
  /** Narrow screens show one column at a time; this returns to the list. */
  onBack: () => void;
  /** Buttons at the right of the header (Complete / Reopen, the contact toggle). */
  actions?: ComponentChildren;
  now?: number;
}

/** Close enough to the bottom that the agent is reading the newest messages, not scrolled back. */
const FOLLOW_WITHIN_PX = 160;

interface HeaderProps {
  conversation: ConversationSummary;
  onBack: () => void;
  actions?: ComponentChildren;
}

function ThreadHeader({ conversation: c, onBack, actions }: HeaderProps) {
  return (
    <header class="thread-header">
      <button type="button" class="icon-button back" aria-label="Back to conversations" onClick={onBack}>
        <BackIcon />
      </button>
      <Avatar title={c.title} seed={c.id} size="lg" />
      <div class="thread-heading">
        <h2>{c.title}</h2>
        <div class="thread-sub">
          {/* Only a widget visitor can be on the site; email and Messenger contacts show their channel. */}
          {c.kind === 'web' ? (
            <span class={`status ${c.online ? 'online' : 'offline'}`}>
              <span class="status-dot" aria-hidden="true" />
              {c.online ? 'Online' : 'Offline'}
            </span>
          ) : (
            <ChannelHint kind={c.kind} />
          )}
          {c.status === 'complete' && (
            <span class="thread-complete">
              <CheckIcon />
              Completed
            </span>
          )}
          {c.email && c.email !== c.title && <span class="thread-email">{c.email}</span>}
          {c.email && !c.emailVerified && <UnverifiedMark />}
        </div>
      </div>
      {actions && <div class="thread-actions">{actions}</div>}
    </header>
  );
}

function Message({ m, visitorName }: { m: ChatMessage; visitorName: string }) {
  // Mail from another address is that sender's, not the contact's.
  const author = m.author === 'agent' ? (m.authorName ?? 'Agent') : (m.otherSender ?? visitorName);
  if (m.automatic) return <AutomaticMessage m={m} sender={author} />;
  return (
    <div class={`message ${m.author}`}>
      <div class="message-meta">
        <span class="message-author">{author}</span>
        <time dateTime={new Date(m.createdAt).toISOString()} title={fullTime(m.createdAt)}>
          {clockTime(m.createdAt)}
        </time>
        <span class="channel-label">{channelLabel(m.channel)}</span>
        {m.editedAt ? <EditedMark at={m.editedAt} /> : null}
        {m.deliveryState && <DeliveryBadge state={m.deliveryState} error={m.deliveryError} />}
      </div>
      {m.otherSender && <p class="other-sender">{`From another address: ${m.otherSender}`}</p>}
      {/* Text children, never HTML: a visitor's "<img onerror=…>" must stay words on the screen. */}
      {(m.body || !m.attachments?.length) && <div class="bubble"><MessageText text={m.body} /></div>}
      {m.attachments && m.attachments.length > 0 && <MessageAttachments attachments={m.attachments} />}
      {m.channel === 'email' && m.author === 'visitor' && <EmailOriginal messageId={m.id} />}
      {m.reactions && m.reactions.length > 0 && <MessageReactions reactions={m.reactions} visitorName={visitorName} />}
    </div>
  );
}

type Entry = { key: string; createdAt: number; byAgent: boolean; message?: ChatMessage; note?: NoteRecord };

/** Messages and notes in one line by time; at the same millisecond the message comes first. */
function entries(messages: ChatMessage[], notes: NoteRecord[]): Entry[] {
  const all: Entry[] = messages.map((m) => ({ key: `m${m.id}`, createdAt: m.createdAt, byAgent: m.author === 'agent', message: m }));
  if (notes.length === 0) return all;
  for (const n of notes) all.push({ key: `n${n.id}`, createdAt: n.createdAt, byAgent: true, note: n });
  return all.sort((a, b) => a.createdAt - b.createdAt || (a.note ? 1 : 0) - (b.note ? 1 : 0));
}

export function Thread({ conversation, messages, notes = [], loading, error, onRetry, onBack, actions, now: pinnedNow }: Props) {
  const log = useRef<HTMLDivElement>(null);
  const shownFor = useRef<number | null>(null);
  const ticking = useNow(60_000);
  const now = pinnedNow ?? ticking;
  const items = entries(messages, notes);
  const last = items[items.length - 1];

  // Jump to the newest message on opening; afterwards follow new ones unless the agent scrolled up to
  // read history (their own replies always scroll, they just sent them).
  useEffect(() => {
    const el = log.current;
    if (!el) return;
    const opened = shownFor.current !== conversation.id;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_WITHIN_PX;
    if (opened || nearBottom || last?.byAgent) el.scrollTop = el.scrollHeight;
    if (items.length > 0) shownFor.current = conversation.id;
  }, [conversation.id, last?.key]);

  return (
    <>
      <ThreadHeader conversation={conversation} onBack={onBack} actions={actions} />
      <div class="log" ref={log} role="log" aria-label={`Messages with ${conversation.title}`}>
        {loading && messages.length === 0 && <p class="log-note">Loading conversation…</p>}
        {error && (
          <div class="inline-alert" role="alert">
            <span>{error}</span>
            <button type="button" class="link-button" onClick={onRetry}>
              Try again
            </button>
          </div>
        )}
        {!loading && !error && items.length === 0 && <p class="log-note">No messages yet.</p>}
        {items.map((item, i) => {
          const previous = items[i - 1];
          const newDay = !previous || !sameDay(previous.createdAt, item.createdAt);
          return (
            <div key={item.key} class="log-item">
              {newDay && (
                <div class="day-divider">
                  <span>{dayLabel(item.createdAt, now)}</span>
                </div>
              )}
              {item.message && <Message m={item.message} visitorName={conversation.title} />}
              {item.note && <Note note={item.note} />}
            </div>
          );
        })}
      </div>
    </>
  );
}
