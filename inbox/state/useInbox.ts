// The signed-in inbox's data: the list, the open thread with its contact, and the live feed that keeps
// both current and tells the server what this agent views and types. Components render it and call its actions.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgentServerFrame, ChatMessage, ContactPanel, ConversationSummary, Note, SessionView } from '../../shared/protocol';
import { api, describeError, isSignedOutError, setCsrfToken, type ReplyInput, type TranscriptInput } from '../api/client';
import { mergeMessages, mergeNotes, replaceMessage } from './inboxState';
import { LiveFeed, type FeedStatus } from './liveFeed';
import { setTeam } from './team';
import { useActivity } from './useActivity';
import { newMessageFrom, useAnnouncer } from './useAnnouncer';
import { useConversationList } from './useConversationList';
import { useLoadedTeam } from './useLoadedTeam';

export interface ThreadState {
  id: number;
  /** From the list (or search) when selected, then from the server; null only if neither had it yet. */
  conversation: ConversationSummary | null;
  messages: ChatMessage[];
  /** Private notes, oldest first; shown among the messages by time. */
  notes: Note[];
  /** Null until the conversation has loaded. */
  contact: ContactPanel | null;
  loading: boolean;
  error: string | null;
}

export const SESSION_ENDED = 'Your session has ended. Sign in again.';
/** The server drops `typing` frames closer together than this, so the inbox does not send them. */
export const TYPING_EVERY_MS = 2_000;

const pageVisible = (): boolean => document.visibilityState === 'visible';

/** What the contact panel shows that a summary can tell has changed (the visitor identified, typed an email). */
const whoTheyAre = (c: ConversationSummary): string => JSON.stringify([c.title, c.email, c.emailVerified]);

/**
 * `myAgentId` is the signed-in agent (who "Assigned to: Me" is); `onFrame` hears every live frame too
 * (notifications), before the inbox applies it.
 */
export function useInbox(onSignedOut: (notice: string) => void, myAgentId: number, onFrame?: (frame: AgentServerFrame) => void) {
  const [thread, setThread] = useState<ThreadState | null>(null);
  const [feed, setFeed] = useState<FeedStatus>('connecting');
  /** The session as fetched again after a reconnect (the server may have restarted with other channels). */
  const [session, setSession] = useState<SessionView | null>(null);

  // Callbacks below outlive renders (the feed holds them), so they read these refs, not state.
  const openId = useRef<number | null>(null);
  const feedLink = useRef<LiveFeed | null>(null);
  const lastTyping = useRef(0);
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;
  const frameListener = useRef(onFrame);
  frameListener.current = onFrame;

  /** True (and leaves the inbox) when the failure means the session is gone. */
  const endedSession = useCallback((err: unknown): boolean => {
    if (!isSignedOutError(err)) return false;
    signedOut.current(SESSION_ENDED);
    return true;
  }, []);

  const conversations = useConversationList(endedSession, myAgentId);
  const activity = useActivity();
  const team = useLoadedTeam(endedSession);
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
              notes: mergeNotes(t.notes, detail.notes),
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

  // The contact panel is the contact's row, not the summary: when the open conversation's summary
  // says the visitor is now someone else (identified, typed an email), fetch the contact again.
  const shownIdentity = useRef<{ id: number; who: string } | null>(null);
  useEffect(() => {
    if (!thread?.conversation || thread.loading) return;
    const who = whoTheyAre(thread.conversation);
    const before = shownIdentity.current;
    shownIdentity.current = { id: thread.id, who };
    if (before?.id === thread.id && before.who !== who) void loadThread(thread.id);
  }, [thread?.id, thread?.loading, thread?.conversation]);

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
    frameListener.current?.(frame);
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
      case 'note': {
        const { note } = frame;
        setThread((t) => (t?.id === note.conversationId ? { ...t, notes: mergeNotes(t.notes, [note]) } : t));
        break;
      }
      case 'team':
        team.replace(frame.team);
        break;
      case 'signedOut':
        signedOut.current(SESSION_ENDED);
        break;
      case 'error':
        console.warn('[parley] agent socket error:', frame.message);
        break;
    }
  }, []);

  const connectedBefore = useRef(false);
  // After a gap the server may be another one (restarted with Messenger or email configured): the
  // session says what it can deliver now. The page's first session is fresh, so only reconnects ask.
  const refreshSession = () => {
    api.session().then(
      (fresh) => {
        if (!fresh.agent) return signedOut.current(SESSION_ENDED);
        setCsrfToken(fresh.csrfToken);
        setSession(fresh);
      },
      () => {}, // the feed's next drop or reconnect asks again
    );
  };

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
        void team.reload();
        if (openId.current !== null) void loadThread(openId.current);
        if (connectedBefore.current) refreshSession();
        connectedBefore.current = true;
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
    return () => {
      link.stop();
      setTeam(null); // the next agent to sign in here hears their own team
    };
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
        notes: [],
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

  /** Gives the conversation to an agent, or to nobody; rejects with the server's error. */
  const assign = useCallback(async (id: number, agentId: number | null) => {
    try {
      showSummary((await api.assign(id, agentId)).conversation);
    } catch (err) {
      endedSession(err);
      throw err;
    }
  }, []);

  /** A private note for the other agents; shown at once, rejects like `reply`. */
  const addNote = useCallback(async (conversationId: number, body: string) => {
    try {
      const { note } = await api.addNote(conversationId, body);
      setThread((t) => (t?.id === conversationId ? { ...t, notes: mergeNotes(t.notes, [note]) } : t));
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
    team: team.team,
    feed,
    session,
    viewers: activity.viewers,
    visitorDraft: activity.visitorDraft,
    announcement,
    select,
    close,
    retryThread,
    reply,
    sendTranscript,
    setStatus,
    assign,
    addNote,
    typing,
    endedSession,
  };
}
