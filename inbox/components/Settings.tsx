// The Settings view, in place of the inbox, one page at a time: General (saved responses and the email
// outbox for everyone, the agents for admins) and each agent's own Profile.
import { useState } from 'preact/hooks';
import type { AgentView } from '../../shared/protocol';
import { AgentsSettings } from './AgentsSettings';
import { BackIcon } from './icons';
import { OutboxSettings } from './OutboxSettings';
import { ProfileSettings } from './ProfileSettings';
import { SavedResponsesSettings } from './SavedResponsesSettings';

const PAGES = { general: 'General', profile: 'Profile' } as const;
type Page = keyof typeof PAGES;

interface Props {
  agent: AgentView;
  onBack: () => void;
  /** True (and has left the inbox) when a failure means the session is gone. */
  endedSession: (err: unknown) => boolean;
}

export function Settings({ agent, onBack, endedSession }: Props) {
  const [page, setPage] = useState<Page>('general');
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
        <nav class="settings-nav" aria-label="Settings pages">
          {(Object.keys(PAGES) as Page[]).map((p) => (
            <button key={p} type="button" class="ghost" aria-current={page === p ? 'page' : undefined} onClick={() => setPage(p)}>
              {PAGES[p]}
            </button>
          ))}
        </nav>
        {page === 'general' && (
          <>
            <SavedResponsesSettings endedSession={endedSession} />
            {agent.role === 'admin' && <AgentsSettings self={agent} endedSession={endedSession} />}
            <OutboxSettings endedSession={endedSession} />
          </>
        )}
        {page === 'profile' && <ProfileSettings agent={agent} endedSession={endedSession} />}
      </div>
    </main>
  );
}
