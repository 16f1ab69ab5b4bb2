// The right side of the inbox: the open conversation (header with Complete/Reopen, messages, live
// notes, reply area) and its contact column, or a placeholder while nothing is open.
import { useRef, useState } from 'preact/hooks';
import type { ChannelSupport } from '../../shared/channels';
import type { AgentView, ConversationStatus, ConversationSummary, TeamMember, Viewer } from '../../shared/protocol';
import { AssigneeSelect } from './AssigneeSelect';
import { CollisionNotice, VisitorTyping } from './ActivityNotices';
import { CONTACT_PANEL_ID, ContactDetails } from './ContactDetails';
import { ContactIcon, InboxIcon } from './icons';
import { useFocusAfterRender } from '../state/useFocusAfterRender';
import type { ReplyInput, TranscriptInput } from '../api/client';
import { ReplyPanel } from './ReplyPanel';
import { StatusButton } from './StatusButton';
import { Thread } from './Thread';
import type { ThreadState } from '../state/useInbox';

interface Props {
  agent: AgentView;
  /** Which reply channels the server can deliver. */
  channels: ChannelSupport;
  thread: ThreadState | null;
  /** The open conversation's freshest summary (the list's copy when it has one). */
  open: ConversationSummary | null;
  viewers: Viewer[];
  visitorDraft: string;
  onOpen: (id: number) => void;
  onBack: () => void;
  onRetry: () => void;
  onReply: (conversationId: number, input: ReplyInput) => Promise<void>;
  onSendTranscript: (conversationId: number, input: TranscriptInput) => Promise<void>;
  onSetStatus: (conversationId: number, status: ConversationStatus) => Promise<void>;
  /** Who may own a conversation (the Assignee select). */
  team: TeamMember[];
  onAssign: (conversationId: number, agentId: number | null) => Promise<void>;
  onAddNote: (conversationId: number, body: string) => Promise<void>;
  onTyping: (conversationId: number) => void;
}

function Placeholder() {
  return (
    <div class="placeholder">
      <span class="placeholder-icon">
        <InboxIcon />
      </span>
      <h2>Select a conversation</h2>
      <p>Pick one on the left to read it and reply. New messages appear here as they arrive.</p>
    </div>
  );
}

export function ConversationPane({ agent, channels, thread, open, viewers, visitorDraft, team, ...on }: Props) {
  // Drafts survive switching conversations (and a trip to Settings).
  const drafts = useRef(new Map<number, string>());
  const [contactShown, setContactShown] = useState(false);
  const contactToggle = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();

  if (!thread) {
    return (
      <main class="pane">
        <Placeholder />
      </main>
    );
  }
  if (!open) {
    // Opened from a link that had no summary (another conversation of this contact): wait for it.
    return (
      <main class="pane">
        <div class="placeholder" aria-busy={thread.loading}>
          {thread.error ? (
            <div class="inline-alert" role="alert">
              <span>{thread.error}</span>
              <button type="button" class="link-button" onClick={on.onRetry}>
                Try again
              </button>
            </div>
          ) : (
            <p>Loading conversation…</p>
          )}
        </div>
      </main>
    );
  }

  const id = thread.id;
  return (
    <main class="pane">
      <div class="pane-thread">
        <Thread
          conversation={open}
          messages={thread.messages}
          notes={thread.notes}
          loading={thread.loading}
          error={thread.error}
          onRetry={on.onRetry}
          onBack={on.onBack}
          actions={
            <>
              <AssigneeSelect key={id} conversation={open} team={team} onAssign={(agentId) => on.onAssign(id, agentId)} />
              <StatusButton key={id} status={open.status} onSetStatus={(status) => on.onSetStatus(id, status)} />
              {thread.contact && (
                <button
                  ref={contactToggle}
                  type="button"
                  class="icon-button contact-toggle"
                  aria-label="Show contact details"
                  aria-controls={CONTACT_PANEL_ID}
                  aria-expanded={contactShown}
                  onClick={() => setContactShown(!contactShown)}
                >
                  <ContactIcon />
                </button>
              )}
            </>
          }
        />
        <div class="activity">
          <CollisionNotice viewers={viewers} selfId={agent.id} />
          <VisitorTyping preview={visitorDraft} />
        </div>
        <ReplyPanel
          key={id}
          conversation={open}
          support={channels}
          initialText={drafts.current.get(id) ?? ''}
          onTextChange={(text) => drafts.current.set(id, text)}
          onTyping={() => on.onTyping(id)}
          onReply={(input) => on.onReply(id, input)}
          onSendTranscript={(input) => on.onSendTranscript(id, input)}
          onAddNote={(body) => on.onAddNote(id, body)}
        />
      </div>
      {thread.contact && (
        <ContactDetails
          contact={thread.contact}
          kind={open.kind}
          shown={contactShown}
          onHide={() => {
            setContactShown(false);
            focusAfterRender(() => contactToggle.current);
          }}
          onOpen={(other) => {
            setContactShown(false);
            on.onOpen(other);
          }}
        />
      )}
    </main>
  );
}
