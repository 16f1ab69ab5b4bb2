// The left column: every conversation, newest activity first, one keyboard-reachable button per row,
// with who it is, the last thing said, how long ago, and a green dot while the visitor is online.
import type { ConversationSummary } from '../../../shared/protocol';
import { Avatar } from './Avatar';
import { fullTime, shortTime } from './format';
import { useNow } from './useNow';

interface Props {
  conversations: ConversationSummary[];
  loaded: boolean;
  selectedId: number | null;
  nextCursor: string | null;
  loadingMore: boolean;
  error: string | null;
  onSelect: (id: number) => void;
  onLoadMore: () => void;
  onRetry: () => void;
  /** Pins the clock for tests; the page lets the list tick on its own. */
  now?: number;
}

export const preview = (c: ConversationSummary): string =>
  c.lastMessageAuthor === 'agent' ? `You: ${c.lastMessagePreview}` : c.lastMessagePreview;

function Row({ c, selected, now, onSelect }: { c: ConversationSummary; selected: boolean; now: number; onSelect: (id: number) => void }) {
  return (
    <li>
      <button
        type="button"
        class={`row${selected ? ' selected' : ''}`}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(c.id)}
      >
        <Avatar title={c.title} seed={c.id} online={c.online} />
        <span class="row-text">
          <span class="row-top">
            <span class="row-title">{c.title}</span>
            <time class="row-time" dateTime={new Date(c.lastMessageAt).toISOString()} title={fullTime(c.lastMessageAt)}>
              {shortTime(c.lastMessageAt, now)}
            </time>
          </span>
          <span class="row-preview">{preview(c) || 'No messages yet'}</span>
        </span>
      </button>
    </li>
  );
}

export function ConversationList(props: Props) {
  const ticking = useNow();
  const now = props.now ?? ticking;
  const { conversations, loaded, error } = props;

  return (
    <div class="list-scroll">
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
          <p>No conversations yet. Open the demo site and say hello.</p>
          <a class="secondary" href="/" target="_blank" rel="noopener">
            Open the demo site
          </a>
        </div>
      )}
      {conversations.length > 0 && (
        <ul class="conversation-list" aria-label="Conversations">
          {conversations.map((c) => (
            <Row key={c.id} c={c} selected={c.id === props.selectedId} now={now} onSelect={props.onSelect} />
          ))}
        </ul>
      )}
      {props.nextCursor && (
        <div class="load-more">
          <button
            type="button"
            class="secondary"
            onClick={props.onLoadMore}
            disabled={props.loadingMore}
            aria-busy={props.loadingMore}
          >
            Load more
          </button>
        </div>
      )}
    </div>
  );
}
