// Search results in place of the list: each hit's conversation and the matching text, with the hit
// (between « » in the server's snippet) marked. Built from text nodes only, never HTML.
import type { SearchResult } from '../../shared/protocol';
import { Avatar } from './Avatar';
import { ChannelHint } from './ChannelHint';

interface SnippetPart {
  text: string;
  hit: boolean;
}

/** "a «b» c" → a, b (hit), c. Unpaired marks stay as plain characters. */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let from = 0;
  for (const m of snippet.matchAll(/«([^«»]*)»/g)) {
    if (m.index > from) parts.push({ text: snippet.slice(from, m.index), hit: false });
    if (m[1]) parts.push({ text: m[1], hit: true });
    from = m.index + m[0].length;
  }
  if (from < snippet.length) parts.push({ text: snippet.slice(from), hit: false });
  return parts;
}

function Snippet({ text }: { text: string }) {
  return (
    <span class="snippet">
      {splitSnippet(text).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : part.text))}
    </span>
  );
}

interface Props {
  results: SearchResult[] | null;
  searching: boolean;
  error: string | null;
  selectedId: number | null;
  onOpen: (result: SearchResult) => void;
}

export function SearchResults({ results, searching, error, selectedId, onOpen }: Props) {
  return (
    <div class="list-scroll" aria-busy={searching}>
      {error && (
        <p class="inline-alert" role="alert">
          {error}
        </p>
      )}
      {!results && !error && <p class="list-note">Searching…</p>}
      {results?.length === 0 && <p class="list-note">No matches</p>}
      {results && results.length > 0 && (
        <ul class="conversation-list" aria-label="Search results">
          {results.map((r) => {
            const c = r.conversation;
            const selected = c.id === selectedId;
            return (
              <li key={`${c.id}:${r.messageId ?? 'contact'}`}>
                <button
                  type="button"
                  class={`row result${selected ? ' selected' : ''}`}
                  aria-current={selected ? 'true' : undefined}
                  onClick={() => onOpen(r)}
                >
                  <Avatar title={c.title} seed={c.id} online={c.online} />
                  <span class="row-text">
                    <span class="row-top">
                      <span class="row-title">{c.title}</span>
                      <ChannelHint kind={c.kind} />
                    </span>
                    <Snippet text={r.snippet} />
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
