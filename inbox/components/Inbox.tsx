// The signed-in page: top bar, a "Reconnecting…" banner while the live feed is down, then either the
// inbox (conversation list on the left, the open conversation and its contact on the right) or Settings.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChannelSupport } from '../../shared/channels';
import type { AgentPreferences, AgentServerFrame, AgentView } from '../../shared/protocol';
import { api, describeError, isSignedOutError } from '../api/client';
import { ConversationPane } from './ConversationPane';
import { conversationRowId } from './ConversationList';
import { ListColumn, SEARCH_BOX_ID } from './ListColumn';
import { LiveAnnouncer } from './LiveAnnouncer';
import { NotificationsMenu } from './NotificationsMenu';
import { Settings } from './Settings';
import { SETTINGS_BUTTON_ID, TopBar } from './TopBar';
import { useFocusAfterRender } from '../state/useFocusAfterRender';
import { useInbox } from '../state/useInbox';
import { useNotifications } from '../state/useNotifications';
import { useUnreadTitle } from '../state/useUnreadTitle';

interface Props {
  agent: AgentView;
  /** Which reply channels this server can deliver (from the session). */
  channels: ChannelSupport;
  /** The agent's own choices (from the session). */
  preferences: AgentPreferences;
  /** The session is over (signed out here, or ended elsewhere); `notice` says why, if not obvious. */
  onSignedOut: (notice: string | null) => void;
}

export function Inbox({ agent, onSignedOut, ...props }: Props) {
  const hearFrame = useRef<(frame: AgentServerFrame) => void>(() => {});
  const inbox = useInbox(onSignedOut, agent.id, (frame) => hearFrame.current(frame));
  const { list, thread } = inbox;
  const [settings, setSettings] = useState(false);
  const [preferences, setPreferences] = useState(props.preferences);
  // Another browser of this agent's may have changed them while this one was disconnected.
  useEffect(() => {
    if (inbox.session) setPreferences(inbox.session.preferences);
  }, [inbox.session]);
  hearFrame.current = useNotifications({
    agentId: agent.id,
    preferences,
    shownId: settings ? null : (thread?.id ?? null),
    onOpen: (id) => {
      setSettings(false);
      inbox.select(id);
    },
  });
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  // Prefer the list's copy: it is the one every frame updates.
  const open = thread && (list.conversations.find((c) => c.id === thread.id) ?? thread.conversation);
  // The session fetched again after a reconnect knows what a restarted server can deliver now.
  const channels = inbox.session?.channels ?? props.channels;
  useUnreadTitle(inbox.unread);
  const focusAfterRender = useFocusAfterRender();
  const byId = (id: string) => document.getElementById(id);

  // Signing in removed the form that had the focus: start in the search box rather than on <body>.
  useEffect(() => {
    if (document.activeElement === document.body) byId(SEARCH_BOX_ID)?.focus();
  }, []);

  // Back (one column at a time): the list comes back with the focus on the row just left.
  const back = () => {
    const left = thread?.id;
    inbox.close();
    focusAfterRender(() => (left === undefined ? null : byId(conversationRowId(left))) ?? byId(SEARCH_BOX_ID));
  };

  const signOut = async () => {
    if (signingOut) return;
    setSigningOut(true);
    setSignOutError(null);
    try {
      await api.signOut();
    } catch (err) {
      if (!isSignedOutError(err)) {
        setSignOutError(`Could not sign out: ${describeError(err)}`);
        setSigningOut(false);
        return;
      }
    }
    onSignedOut(null);
  };

  return (
    <div class="app" data-view={thread ? 'thread' : 'list'}>
      <LiveAnnouncer announcement={inbox.announcement} />
      <TopBar
        agent={agent}
        unread={inbox.unread}
        notifications={<NotificationsMenu preferences={preferences} onChange={setPreferences} endedSession={inbox.endedSession} />}
        onSettings={() => setSettings(true)}
        onSignOut={() => void signOut()}
        signingOut={signingOut}
      />
      {inbox.feed === 'offline' && (
        <div class="banner" role="status">
          <span class="spinner" aria-hidden="true" />
          Reconnecting…
        </div>
      )}
      {signOutError && (
        <div class="banner error" role="alert">
          {signOutError}
        </div>
      )}
      {settings && (
        <Settings
          agent={agent}
          onBack={() => {
            setSettings(false);
            focusAfterRender(() => byId(SETTINGS_BUTTON_ID));
          }}
          endedSession={inbox.endedSession}
        />
      )}
      {/* Hidden, not unmounted, behind Settings: the search, scroll position and drafts stay. */}
      <div class="columns" hidden={settings}>
        <ListColumn
          list={list}
          myAgentId={agent.id}
          filter={inbox.filter}
          onFilter={inbox.setFilter}
          assigned={inbox.assigned}
          onAssigned={inbox.setAssigned}
          selectedId={thread?.id ?? null}
          loadingMore={inbox.loadingMore}
          error={inbox.listError}
          onSelect={inbox.select}
          onLoadMore={() => void inbox.loadMore()}
          onRetry={() => void inbox.refresh()}
          othersExist={inbox.othersExist}
          endedSession={inbox.endedSession}
        />
        <ConversationPane
          agent={agent}
          channels={channels}
          thread={thread}
          open={open}
          viewers={inbox.viewers}
          visitorDraft={inbox.visitorDraft}
          onOpen={inbox.select}
          onBack={back}
          onRetry={inbox.retryThread}
          onReply={inbox.reply}
          onSendTranscript={inbox.sendTranscript}
          onSetStatus={inbox.setStatus}
          team={inbox.team}
          onAssign={inbox.assign}
          onAddNote={inbox.addNote}
          onTyping={inbox.typing}
        />
      </div>
    </div>
  );
}
