// The signed-in inbox's data: the list, the open thread with its contact, and the live feed that keeps
// both current and tells the server what this agent views and types. Components render it and call its actions.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgentServerFrame, ChatMessage, ContactPanel, ConversationSummary } from '../../shared/protocol';
import { api, describeError, isSignedOutError, type ReplyInput, type TranscriptInput } from '../api/client';
import { mergeMessages, replaceMessage } from './inboxState';
import { LiveFeed, type FeedStatus } from './liveFeed';
import { useActivity } from './useActivity';
import { newMessageFrom, useAnnouncer } from './useAnnouncer';
import { useConversationList } from './useConversationList';

export interface ThreadState {
  id: number;
  /** From the list (or search) when selected, then from the server; null only if neither had it yet. */
  conversation: ConversationSummary | null;
  messages: ChatMessage[];
  /** Null until the conversation has loaded. */
  contact: ContactPanel | null;
  loading: boolean;
  error: string | null;
}

export const SESSION_ENDED = 'Your session has ended. Sign in again.';
/** The server drops `typing` frames closer together than this, so the inbox does not send them. */
export const TYPING_EVERY_MS = 2_000;

const pageVisible = (): boolean => document.visibilityState === 'visible';

export function useInbox(onSignedOut: (notice: string) => void) {
  const [thread, setThread] = useState<ThreadState | null>(null);
  const [feed, setFeed] = useState<FeedStatus>('connecting');

  // Callbacks below outlive renders (the feed holds them), so they read these refs, not state.
  const openId = useRef<number | null>(null);
  const feedLink = useRef<LiveFeed | null>(null);
  const lastTyping = useRef(0);
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;

  /** True (and leaves the inbox) when the failure means the session is gone. */
  const endedSession = useCallback((err: unknown): boolean => {
    if (!isSignedOutError(err)) return false;
    signedOut.current(SESSION_ENDED);
    return true;
  }, []);

  const conversations = useConversationList(endedSession);
  const activity = useActivity();
  const { announcement, announce } = useAnnouncer();

  /** A changed summary, wherever it is shown. */
  const showSummary = useCallback((conversation: ConversationSummary) => {
    conversations.update(conversation);
    setThread((t) => (t?.id === conversation.id ? { ...t, conversation } : t));
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
              contact: detail.contact,
              loading: false,
              error: null,
            }
          : t,
      );
    } catch (err) {
      if (!endedSession(err)) setThread((t) => (t?.id === id ? { ...t, loading: false, error: describeError(err) } : t));
    }
  }, []);

  // Failing is harmless: the row stays bold until the next time someone opens it.
  const markRead = useCallback(async (id: number) => {
    try {
      showSummary((await api.conversationAction(id, 'read')).conversation);
    } catch (err) {
      endedSession(err);
    }
  }, []);

  const sendViewing = () => feedLink.current?.send({ type: 'viewing', conversationId: openId.current });

  const applyFrame = useCallback((frame: AgentServerFrame) => {
    activity.apply(frame, openId.current);
    switch (frame.type) {
      case 'message': {
        const { message } = frame;
        // A visitor writing in the conversation the agent is looking at is read as it arrives.
        const seen = message.conversationId === openId.current && message.author === 'visitor' && pageVisible();
        const conversation = seen ? { ...frame.conversation, unreadCount: 0 } : frame.conversation;
        conversations.update(conversation);
        setThread((t) =>
          t?.id === message.conversationId
            ? { ...t, conversation, messages: mergeMessages(t.messages, [message]) }
            : t,
        );
        if (seen && frame.conversation.unreadCount > 0) void markRead(message.conversationId);
        // The list changes silently; a screen reader hears of a visitor writing anywhere but here.
        if (message.author === 'visitor' && !message.automatic && message.conversationId !== openId.current) {
          announce(newMessageFrom(frame.conversation.title));
        }
        break;
      }
      case 'messageUpdated': {
        const { message } = frame;
        setThread((t) => (t?.id === message.conversationId ? { ...t, messages: replaceMessage(t.messages, message) } : t));
        break;
      }
      case 'conversation':
        showSummary(frame.conversation);
        break;
      case 'presence':
        conversations.presence(frame.conversationId, frame.online);
        setThread((t) =>
          t?.id === frame.conversationId && t.conversation
            ? { ...t, conversation: { ...t.conversation, online: frame.online } }
            : t,
        );
        break;
      case 'unread':
        conversations.setUnread(frame.conversations);
        break;
      case 'signedOut':
        signedOut.current(SESSION_ENDED);
        break;
      case 'error':
        console.warn('[parley] agent socket error:', frame.message);
        break;
    }
  }, []);

  useEffect(() => {
    void conversations.refresh();
    const link = new LiveFeed({
      onFrame: applyFrame,
      onStatus: setFeed,
      // Never trust the stream alone after a gap (or before the first open): reload what is shown,
      // and tell the server again what this agent has open (it forgot with the old socket).
      onConnected: () => {
        sendViewing();
        void conversations.refresh();
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
    feedLink.current = link;
    link.start();
    return () => link.stop();
  }, []);

  /** Opens a conversation; `known` is its summary when the caller has one the list may lack (search). */
  const select = useCallback(
    (id: number, known?: ConversationSummary) => {
      if (openId.current === id) {
        // Open already, but news came in while the page was hidden: clicking it again reads it.
        if (thread?.conversation?.unreadCount) void markRead(id);
        return;
      }
      openId.current = id;
      activity.reset();
      sendViewing();
      setThread({
        id,
        conversation: conversations.list.conversations.find((c) => c.id === id) ?? known ?? null,
        messages: [],
        contact: null,
        loading: true,
        error: null,
      });
      void loadThread(id);
      void markRead(id);
    },
    [conversations.list, thread],
  );

  const close = useCallback(() => {
    openId.current = null;
    activity.reset();
    sendViewing();
    setThread(null);
  }, []);

  const retryThread = useCallback(() => {
    const id = openId.current;
    if (id === null) return;
    setThread((t) => (t ? { ...t, loading: true, error: null } : t));
    void loadThread(id);
  }, []);

  /** Shows a message the agent just had stored, without waiting for the live feed to echo it. */
  const showOwnMessage = (message: ChatMessage) => {
    setThread((t) => (t?.id === message.conversationId ? { ...t, messages: mergeMessages(t.messages, [message]) } : t));
    conversations.ownReply(message);
  };

  /** Rejects with the server's error (a refusal, say), which the composer shows next to the text it keeps. */
  const reply = useCallback(async (conversationId: number, input: ReplyInput) => {
    try {
      showOwnMessage((await api.reply(conversationId, input)).message);
    } catch (err) {
      endedSession(err);
      throw err;
    }
  }, []);

  /** "Send chat thread": emails the transcript to the visitor; rejects like `reply`. */
  const sendTranscript = useCallback(async (conversationId: number, input: TranscriptInput) => {
    try {
      showOwnMessage((await api.transcript(conversationId, input)).message);
    } catch (err) {
      endedSession(err);
      throw err;
    }
  }, []);

  /** Marks a conversation complete, or open again; rejects with the server's error. */
  const setStatus = useCallback(async (id: number, status: ConversationSummary['status']) => {
    try {
      showSummary((await api.conversationAction(id, status === 'complete' ? 'complete' : 'reopen')).conversation);
    } catch (err) {
      endedSession(err);
      throw err;
    }
  }, []);

  /** The agent is writing in `conversationId`: tells the server, at most once per TYPING_EVERY_MS. */
  const typing = useCallback((conversationId: number) => {
    const now = Date.now();
    if (now - lastTyping.current < TYPING_EVERY_MS) return;
    if (feedLink.current?.send({ type: 'typing', conversationId })) lastTyping.current = now;
  }, []);

  return {
    ...conversations,
    thread,
    feed,
    viewers: activity.viewers,
    visitorDraft: activity.visitorDraft,
    announcement,
    select,
    close,
    retryThread,
    reply,
    sendTranscript,
    setStatus,
    typing,
    endedSession,
  };
}
