// The signed-in page: top bar, a "Reconnecting…" banner while the live feed is down, the conversation
// list on the left and the open conversation with its reply box on the right.
import { useRef, useState } from 'preact/hooks';
import type { AgentView } from '../../../shared/protocol';
import { api, describeError, isSignedOutError } from './api';
import { ConversationList } from './ConversationList';
import { InboxIcon } from './icons';
import { ReplyComposer } from './ReplyComposer';
import { Thread } from './Thread';
import { TopBar } from './TopBar';
import { useInbox } from './useInbox';

interface Props {
  agent: AgentView;
  /** The session is over (signed out here, or ended elsewhere); `notice` says why, if not obvious. */
  onSignedOut: (notice: string | null) => void;
}

export function Inbox({ agent, onSignedOut }: Props) {
  const inbox = useInbox(onSignedOut);
  const { list, thread } = inbox;
  const drafts = useRef(new Map<number, string>());
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  // Prefer the list's copy: it is the one every frame updates.
  const open = thread && (list.conversations.find((c) => c.id === thread.id) ?? thread.conversation);

  const signOut = async () => {
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
      <TopBar agent={agent} onSignOut={() => void signOut()} signingOut={signingOut} />
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
      <div class="columns">
        <nav class="list-column" aria-label="Inbox">
          <div class="column-header">
            <h2>Conversations</h2>
          </div>
          <ConversationList
            conversations={list.conversations}
            loaded={list.loaded}
            selectedId={thread?.id ?? null}
            nextCursor={list.nextCursor}
            loadingMore={inbox.loadingMore}
            error={inbox.listError}
            onSelect={inbox.select}
            onLoadMore={() => void inbox.loadMore()}
            onRetry={() => void inbox.refreshList()}
          />
        </nav>
        <main class="pane">
          {thread && open ? (
            <>
              <Thread
                conversation={open}
                messages={thread.messages}
                loading={thread.loading}
                error={thread.error}
                onRetry={inbox.retryThread}
                onBack={inbox.close}
              />
              <ReplyComposer
                key={thread.id}
                recipient={open.title}
                initialText={drafts.current.get(thread.id) ?? ''}
                onTextChange={(text) => drafts.current.set(thread.id, text)}
                onSend={(body, clientId) => inbox.reply(thread.id, body, clientId)}
              />
            </>
          ) : (
            <div class="placeholder">
              <span class="placeholder-icon">
                <InboxIcon />
              </span>
              <h2>Select a conversation</h2>
              <p>Pick one on the left to read it and reply. New messages appear here as they arrive.</p>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
