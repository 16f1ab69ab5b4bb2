// The signed-in inbox's data: the conversation list, the open thread and the live feed that keeps
// both current. Components only render what this returns and call its actions.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgentServerFrame, ChatMessage, ConversationSummary } from '../../../shared/protocol';
import { api, describeError, isSignedOutError } from './api';
import {
  appendPage,
  emptyList,
  mergeFirstPage,
  mergeMessages,
  noteOwnReply,
  setPresence,
  upsertSummary,
  type ListState,
} from './inboxState';
import { LiveFeed, type FeedStatus } from './liveFeed';

export interface ThreadState {
  id: number;
  /** From the list when selected, then from the server; null only if neither had it yet. */
  conversation: ConversationSummary | null;
  messages: ChatMessage[];
  loading: boolean;
  error: string | null;
}

export const SESSION_ENDED = 'Your session has ended. Sign in again.';

export function useInbox(onSignedOut: (notice: string) => void) {
  const [list, setList] = useState<ListState>(emptyList);
  const [listError, setListError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [thread, setThread] = useState<ThreadState | null>(null);
  const [feed, setFeed] = useState<FeedStatus>('connecting');

  // Callbacks below outlive renders (the feed holds them), so they read these refs, not state.
  const openId = useRef<number | null>(null);
  const listRequest = useRef(0);
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;

  /** True (and leaves the inbox) when the failure means the session is gone. */
  const endedSession = (err: unknown): boolean => {
    if (!isSignedOutError(err)) return false;
    signedOut.current(SESSION_ENDED);
    return true;
  };

  const refreshList = useCallback(async () => {
    const request = ++listRequest.current;
    try {
      const page = await api.conversations();
      if (request !== listRequest.current) return; // a newer refetch is on its way
      setList((current) => mergeFirstPage(current, page));
      setListError(null);
    } catch (err) {
      if (!endedSession(err) && request === listRequest.current) setListError(describeError(err));
    }
  }, []);

  const loadThread = useCallback(async (id: number) => {
    try {
      const detail = await api.conversation(id);
      setThread((t) =>
        t?.id === id
          ? {
              id,
              conversation: detail.conversation,
              messages: mergeMessages(t.messages, detail.messages),
              loading: false,
              error: null,
            }
          : t,
      );
    } catch (err) {
      if (!endedSession(err)) setThread((t) => (t?.id === id ? { ...t, loading: false, error: describeError(err) } : t));
    }
  }, []);

  const applyFrame = useCallback((frame: AgentServerFrame) => {
    switch (frame.type) {
      case 'message': {
        const { message, conversation } = frame;
        setList((current) => upsertSummary(current, conversation));
        setThread((t) =>
          t?.id === message.conversationId
            ? { ...t, conversation, messages: mergeMessages(t.messages, [message]) }
            : t,
        );
        break;
      }
      case 'conversation':
        setList((current) => upsertSummary(current, frame.conversation));
        setThread((t) => (t?.id === frame.conversation.id ? { ...t, conversation: frame.conversation } : t));
        break;
      case 'presence':
        setList((current) => setPresence(current, frame.conversationId, frame.online));
        setThread((t) =>
          t?.id === frame.conversationId && t.conversation
            ? { ...t, conversation: { ...t.conversation, online: frame.online } }
            : t,
        );
        break;
      case 'error':
        console.warn('[parley] agent socket error:', frame.message);
        break;
    }
  }, []);

  useEffect(() => {
    void refreshList();
    const feedLink = new LiveFeed({
      onFrame: applyFrame,
      onStatus: setFeed,
      // Never trust the stream alone after a gap (or before the first open): reload what is shown.
      onConnected: () => {
        void refreshList();
        if (openId.current !== null) void loadThread(openId.current);
      },
      // The server refuses the socket once the session is gone; ask the API whether that is why.
      onRefused: () => {
        api.session().then(
          (session) => {
            if (!session.agent) signedOut.current(SESSION_ENDED);
          },
          () => {}, // unreachable: keep retrying
        );
      },
    });
    feedLink.start();
    return () => feedLink.stop();
  }, []);

  const select = useCallback(
    (id: number) => {
      if (openId.current === id) return;
      openId.current = id;
      setThread({
        id,
        conversation: list.conversations.find((c) => c.id === id) ?? null,
        messages: [],
        loading: true,
        error: null,
      });
      void loadThread(id);
    },
    [list],
  );

  const close = useCallback(() => {
    openId.current = null;
    setThread(null);
  }, []);

  const retryThread = useCallback(() => {
    const id = openId.current;
    if (id === null) return;
    setThread((t) => (t ? { ...t, loading: true, error: null } : t));
    void loadThread(id);
  }, []);

  const loadMore = useCallback(async () => {
    if (!list.nextCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api.conversations(list.nextCursor);
      setList((current) => appendPage(current, page)); // frames may have changed it meanwhile
      setListError(null);
    } catch (err) {
      if (!endedSession(err)) setListError(describeError(err));
    } finally {
      setLoadingMore(false);
    }
  }, [list, loadingMore]);

  /** Rejects with the server's error, which the composer shows next to the text it keeps. */
  const reply = useCallback(async (conversationId: number, body: string, clientId: string) => {
    let message: ChatMessage;
    try {
      ({ message } = await api.reply(conversationId, body, clientId));
    } catch (err) {
      endedSession(err);
      throw err;
    }
    setThread((t) => (t?.id === conversationId ? { ...t, messages: mergeMessages(t.messages, [message]) } : t));
    setList((current) => noteOwnReply(current, message));
  }, []);

  return { list, listError, loadingMore, thread, feed, select, close, retryThread, loadMore, refreshList, reply };
}
