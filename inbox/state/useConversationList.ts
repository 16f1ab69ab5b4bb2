// The left column's data: one page of conversations at a time under the chosen status and "Assigned
// to" filters, the count of unread conversations for the nav's red dot, and the updates live frames bring to both.
import { useCallback, useRef, useState } from 'preact/hooks';
import type { AssignedFilter, ChatMessage, ConversationSummary } from '../../shared/protocol';
import { api, describeError, type StatusFilter } from '../api/client';
import { appendPage, applySummary, emptyList, mergeFirstPage, noteOwnReply, setPresence, type ListState } from './inboxState';

/**
 * `endedSession` is true (and has left the inbox) when a failure means the session is gone; it must be
 * stable. `myAgentId` is who "Assigned to: Me" means.
 */
export function useConversationList(endedSession: (err: unknown) => boolean, myAgentId: number) {
  const [list, setList] = useState<ListState>(emptyList);
  const [listError, setListError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [filter, setFilterState] = useState<StatusFilter>('open');
  const [unread, setUnread] = useState(0);
  /**
   * Whether the filter's empty list hides conversations under another status: then the list says so
   * and offers them, instead of the brand-new inbox's "say hello". Null until asked.
   */
  const [othersExist, setOthersExist] = useState<boolean | null>(null);
  // Live frames outlive renders, so they read the filter from here.
  const filterRef = useRef<StatusFilter>('open');
  const [assigned, setAssignedState] = useState<AssignedFilter>('anyone');
  const assignedRef = useRef<AssignedFilter>('anyone');
  const listRequest = useRef(0);
  /**
   * Summaries live frames brought while a refetch was on its way: newer than the page it will answer
   * with (a name the Messenger profile filled in, say), so they go over that page again.
   */
  const liveDuringRefetch = useRef<Map<number, ConversationSummary> | null>(null);

  const refresh = useCallback(async () => {
    const request = ++listRequest.current;
    liveDuringRefetch.current = new Map();
    try {
      const page = await api.conversations(filterRef.current, null, assignedRef.current);
      if (request !== listRequest.current) return; // a newer refetch is on its way
      const newer = [...(liveDuringRefetch.current?.values() ?? [])];
      liveDuringRefetch.current = null;
      const scope = { assigned: assignedRef.current, me: myAgentId };
      setList((current) => newer.reduce((list, summary) => applySummary(list, summary, filterRef.current, scope), mergeFirstPage(current, page)));
      setUnread(page.unreadConversations);
      setListError(null);
      // Asked only when the list is empty: one more request, and only for an empty Open or Complete.
      if (page.conversations.length === 0 && filterRef.current !== 'all') {
        const all = await api.conversations('all');
        if (request === listRequest.current) setOthersExist(all.conversations.length > 0);
      } else if (request === listRequest.current) {
        setOthersExist(null);
      }
    } catch (err) {
      if (request === listRequest.current) liveDuringRefetch.current = null;
      if (!endedSession(err) && request === listRequest.current) setListError(describeError(err));
    }
  }, []);

  const setFilter = useCallback((next: StatusFilter) => {
    if (next === filterRef.current) return;
    filterRef.current = next;
    setFilterState(next);
    setList(emptyList);
    setListError(null);
    setOthersExist(null);
    void refresh();
  }, []);

  const setAssigned = useCallback((next: AssignedFilter) => {
    if (next === assignedRef.current) return;
    assignedRef.current = next;
    setAssignedState(next);
    setList(emptyList);
    setListError(null);
    void refresh();
  }, []);

  const loadMore = useCallback(async () => {
    if (!list.nextCursor || loadingMore) return;
    const asked = filterRef.current;
    const owner = assignedRef.current;
    setLoadingMore(true);
    try {
      const page = await api.conversations(asked, list.nextCursor, owner);
      if (asked !== filterRef.current || owner !== assignedRef.current) return; // the agent switched filters meanwhile
      setList((current) => appendPage(current, page)); // frames may have changed it meanwhile
      setUnread(page.unreadConversations);
      setListError(null);
    } catch (err) {
      if (!endedSession(err)) setListError(describeError(err));
    } finally {
      setLoadingMore(false);
    }
  }, [list, loadingMore]);

  /** A summary from a live frame or an action's answer. */
  const update = useCallback((summary: ConversationSummary) => {
    liveDuringRefetch.current?.set(summary.id, summary);
    setList((current) => applySummary(current, summary, filterRef.current, { assigned: assignedRef.current, me: myAgentId }));
    // One that leaves the filter (completed, reopened) is a conversation under another status.
    if (filterRef.current !== 'all' && summary.status !== filterRef.current) setOthersExist(true);
  }, []);

  const presence = useCallback((conversationId: number, online: boolean) => {
    setList((current) => setPresence(current, conversationId, online));
  }, []);

  const ownReply = useCallback((message: ChatMessage) => setList((current) => noteOwnReply(current, message)), []);

  return {
    list,
    listError,
    loadingMore,
    filter,
    assigned,
    unread,
    othersExist,
    refresh,
    setFilter,
    setAssigned,
    loadMore,
    update,
    presence,
    ownReply,
    setUnread,
  };
}
