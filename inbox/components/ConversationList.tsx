// The conversations under the status filter, newest first, one button per row: who, the last thing
// said, how long ago, a green dot while online, bold with a count while unread, a checkmark once complete,
// and who owns it.
import { useEffect, useRef } from 'preact/hooks';
import type { AssignedFilter, ConversationSummary } from '../../shared/protocol';
import type { StatusFilter } from '../api/client';
import { Avatar } from './Avatar';
import { ChannelHint } from './ChannelHint';
import { FILTER_PANEL_ID, filterTabId } from './FilterTabs';
import { fullTime, shortTime } from './format';
import { CheckIcon } from './icons';
import { UnverifiedMark } from './UnverifiedMark';
import { useNow } from '../state/useNow';

interface Props {
  conversations: ConversationSummary[];
  /** The signed-in agent, whose own replies read "You: …". */
  myAgentId: number | null;
  filter: StatusFilter;
  /** The "Assigned to" choice; an owner-filtered list that is empty says so, not "say hello". */
  assigned?: AssignedFilter;
  loaded: boolean;
  selectedId: number | null;
  /** The row the j/k keys are on; it takes the focus. */
  highlightedId?: number | null;
  nextCursor: string | null;
  loadingMore: boolean;
  error: string | null;
  onSelect: (id: number) => void;
  onLoadMore: () => void;
  onRetry: () => void;
  /** With an empty list: whether conversations exist under another status (null: not known). */
  othersExist?: boolean | null;
  /** Switches the status filter (the empty list's way to the conversations it hides). */
  onFilter?: (filter: StatusFilter) => void;
  /** Pins the clock for tests; the page lets the list tick on its own. */
  now?: number;
}

/** The last message, prefixed with who wrote it when an agent did: "You: …" or "Grace: …". */
export const preview = (c: ConversationSummary, myAgentId: number | null): string => {
  if (c.lastMessageAuthor !== 'agent') return c.lastMessagePreview;
  const who = c.lastMessageAgentId === myAgentId || !c.lastMessageAgentName ? 'You' : c.lastMessageAgentName;
  return `${who}: ${c.lastMessagePreview}`;
};

const STATUS_WORD: Record<StatusFilter, string> = { open: 'open ', complete: 'completed ', all: '' };
const OWNED_EMPTY: Record<Exclude<AssignedFilter, 'anyone'>, (filter: StatusFilter) => string> = {
  me: (filter) => `No ${STATUS_WORD[filter]}conversations assigned to you.`,
  unassigned: (filter) => `No unassigned ${STATUS_WORD[filter]}conversations.`,
};

/** A row's button, where the focus returns when its open conversation is closed. */
export const conversationRowId = (id: number): string => `conversation-row-${id}`;

const EMPTY: Record<StatusFilter, string> = {
  open: 'No open conversations.',
  complete: 'No completed conversations yet.',
  all: 'No conversations yet. Open the demo site and say hello.',
};
/** Where the other conversations are, when the chosen filter hides them. */
const ELSEWHERE: Record<Exclude<StatusFilter, 'all'>, { filter: StatusFilter; label: string }> = {
  open: { filter: 'complete', label: 'Show completed conversations' },
  complete: { filter: 'open', label: 'Show open conversations' },
};

interface RowProps {
  c: ConversationSummary;
  myAgentId: number | null;
  selected: boolean;
  highlighted: boolean;
  now: number;
  onSelect: (id: number) => void;
}

function Row({ c, myAgentId, selected, highlighted, now, onSelect }: RowProps) {
  const button = useRef<HTMLButtonElement>(null);
  const unread = c.unreadCount > 0;
  useEffect(() => {
    if (highlighted) button.current?.focus();
  }, [highlighted]);

  return (
    <li>
      <button
        ref={button}
        id={conversationRowId(c.id)}
        data-conversation-id={c.id}
        type="button"
        class={`row${selected ? ' selected' : ''}${unread ? ' unread' : ''}${highlighted ? ' highlighted' : ''}`}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(c.id)}
      >
        <Avatar title={c.title} seed={c.id} online={c.online} />
        <span class="row-text">
          <span class="row-top">
            <span class="row-title">{c.title}</span>
            {c.email && !c.emailVerified && <UnverifiedMark brief />}
            <ChannelHint kind={c.kind} />
            {c.status === 'complete' && (
              <span class="complete-mark" role="img" aria-label="Complete" title="Complete">
                <CheckIcon />
              </span>
            )}
            <time class="row-time" dateTime={new Date(c.lastMessageAt).toISOString()} title={fullTime(c.lastMessageAt)}>
              {shortTime(c.lastMessageAt, now)}
            </time>
          </span>
          <span class="row-bottom">
            <span class="row-preview">{preview(c, myAgentId) || 'No messages yet'}</span>
            {c.assigneeName && (
              <span class="row-assignee" title={`Assigned to ${c.assigneeName}`}>
                <span class="visually-hidden">Assigned to </span>
                {c.assigneeName}
              </span>
            )}
            {unread && (
              <span class="unread-badge" role="img" aria-label={`${c.unreadCount} unread`}>
                {c.unreadCount > 99 ? '99+' : c.unreadCount}
              </span>
            )}
          </span>
        </span>
      </button>
    </li>
  );
}

export function ConversationList(props: Props) {
  const ticking = useNow();
  const now = props.now ?? ticking;
  const { conversations, filter, loaded, error } = props;
  const owned = props.assigned && props.assigned !== 'anyone' ? OWNED_EMPTY[props.assigned](filter) : null;
  // "Say hello" only while there is no conversation at all, under any status.
  const brandNew = !owned && (filter === 'all' || props.othersExist === false);
  const elsewhere = filter === 'all' || owned ? null : ELSEWHERE[filter];
  // "Load more" goes away with the last page: the focus moves on to the first row it brought.
  const firstNew = useRef<number | null>(null);
  useEffect(() => {
    if (firstNew.current === null || props.loadingMore) return;
    const row = conversations[firstNew.current];
    firstNew.current = null;
    if (row && (document.activeElement === document.body || document.activeElement === null)) {
      document.getElementById(conversationRowId(row.id))?.focus();
    }
  }, [props.loadingMore]);

  return (
    <div class="list-scroll" id={FILTER_PANEL_ID} role="tabpanel" aria-labelledby={filterTabId(filter)}>
      {error && (
        <div class="inline-alert" role="alert">
          <span>{error}</span>
          <button type="button" class="link-button" onClick={props.onRetry}>
            Try again
          </button>
        </div>
      )}
      {!loaded && !error && <p class="list-note">Loading conversations…</p>}
      {loaded && conversations.length === 0 && (
        <div class="empty-list">
          {/* One text node, so the sentence reads (and can be found) whole. */}
          <p>{owned ?? (brandNew ? EMPTY.all : EMPTY[filter])}</p>
          {brandNew && (
            <a class="secondary" href="/" target="_blank" rel="noopener">
              Open the demo site
            </a>
          )}
          {elsewhere && props.othersExist && props.onFilter && (
            <button type="button" class="secondary" onClick={() => props.onFilter?.(elsewhere.filter)}>
              {elsewhere.label}
            </button>
          )}
        </div>
      )}
      {conversations.length > 0 && (
        <ul class="conversation-list" aria-label="Conversations">
          {conversations.map((c) => (
            <Row
              key={c.id}
              c={c}
              myAgentId={props.myAgentId}
              selected={c.id === props.selectedId}
              highlighted={c.id === props.highlightedId}
              now={now}
              onSelect={props.onSelect}
            />
          ))}
        </ul>
      )}
      {props.nextCursor && (
        <div class="load-more">
          <button
            type="button"
            class="secondary"
            onClick={() => {
              if (props.loadingMore) return;
              firstNew.current = conversations.length;
              props.onLoadMore();
            }}
            aria-disabled={props.loadingMore}
            aria-busy={props.loadingMore}
          >
            Load more
          </button>
        </div>
      )}
    </div>
  );
}
