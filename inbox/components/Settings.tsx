// The Settings view, in place of the inbox: saved responses and the email outbox for everyone, and the
// agents for admins.
import type { AgentView } from '../../shared/protocol';
import { AgentsSettings } from './AgentsSettings';
import { BackIcon } from './icons';
import { OutboxSettings } from './OutboxSettings';
import { SavedResponsesSettings } from './SavedResponsesSettings';

interface Props {
  agent: AgentView;
  onBack: () => void;
  /** True (and has left the inbox) when a failure means the session is gone. */
  endedSession: (err: unknown) => boolean;
}

export function Settings({ agent, onBack, endedSession }: Props) {
  return (
    <main class="settings">
      <div class="settings-inner">
        <header class="settings-header">
          <button type="button" class="ghost" onClick={onBack}>
            <BackIcon />
            Back to inbox
          </button>
          <h1>Settings</h1>
        </header>
        <SavedResponsesSettings endedSession={endedSession} />
        {agent.role === 'admin' && <AgentsSettings self={agent} endedSession={endedSession} />}
        <OutboxSettings endedSession={endedSession} />
      </div>
    </main>
  );
}
