// The left column: the search box, the status tabs and the conversation list (or, while a search is
// typed, its results in the list's place). The j/k keys walk the list while the focus is in this column.
import type { AssignedFilter, ConversationSummary } from '../../shared/protocol';
import type { StatusFilter } from '../api/client';
import { AssignedToFilter } from './AssignedToFilter';
import { ConversationList } from './ConversationList';
import { FilterTabs } from './FilterTabs';
import type { ListState } from '../state/inboxState';
import { SearchResults } from './SearchResults';
import { useListKeys } from '../state/useListKeys';
import { useSearch } from '../state/useSearch';

interface Props {
  list: ListState;
  /** The signed-in agent (their own replies read "You: …" in the list). */
  myAgentId: number;
  filter: StatusFilter;
  onFilter: (filter: StatusFilter) => void;
  /** "Assigned to": anyone's, mine, nobody's (absent: the select is not shown). */
  assigned?: AssignedFilter;
  onAssigned?: (assigned: AssignedFilter) => void;
  selectedId: number | null;
  loadingMore: boolean;
  error: string | null;
  /** `known` is the summary a search result carries, for a conversation the list may not hold. */
  onSelect: (id: number, known?: ConversationSummary) => void;
  onLoadMore: () => void;
  onRetry: () => void;
  /** With an empty list: whether conversations exist under another status. */
  othersExist: boolean | null;
  endedSession: (err: unknown) => boolean;
}

/** The search box: the focus lands here when the row it should return to is not in the list. */
export const SEARCH_BOX_ID = 'conversation-search';

export function ListColumn(props: Props) {
  const search = useSearch(props.endedSession);
  const keys = useListKeys({
    ids: search.active ? [] : props.list.conversations.map((c) => c.id),
    selectedId: props.selectedId,
    onOpen: props.onSelect,
  });

  return (
    <nav class="list-column" aria-label="Inbox" onKeyDown={keys.onKeyDown}>
      <div class="column-header">
        <h2>Conversations</h2>
        <input
          id={SEARCH_BOX_ID}
          type="search"
          class="search-box"
          aria-label="Search conversations"
          placeholder="Search messages and contacts"
          value={search.query}
          onInput={(e) => search.setQuery(e.currentTarget.value)}
        />
        {!search.active && <FilterTabs value={props.filter} onChange={props.onFilter} />}
        {!search.active && props.assigned && props.onAssigned && (
          <AssignedToFilter value={props.assigned} onChange={props.onAssigned} />
        )}
      </div>
      {search.active ? (
        <SearchResults
          results={search.results}
          searching={search.searching}
          error={search.error}
          selectedId={props.selectedId}
          onOpen={(r) => props.onSelect(r.conversation.id, r.conversation)}
        />
      ) : (
        <ConversationList
          conversations={props.list.conversations}
          myAgentId={props.myAgentId}
          filter={props.filter}
          assigned={props.assigned}
          loaded={props.list.loaded}
          selectedId={props.selectedId}
          highlightedId={keys.highlighted}
          nextCursor={props.list.nextCursor}
          loadingMore={props.loadingMore}
          error={props.error}
          onSelect={props.onSelect}
          onLoadMore={props.onLoadMore}
          onRetry={props.onRetry}
          othersExist={props.othersExist}
          onFilter={props.onFilter}
        />
      )}
    </nav>
  );
}
