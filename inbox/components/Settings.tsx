// The Settings view, in place of the inbox: one page at a time, chosen in its own navigation (each
// page's fields have plain names such as "Title" or "Name", so two pages on screen at once would clash).
// Saved responses, the email outbox and each agent's own Profile for everyone; the agents and the widget
// for admins.
import { useState } from 'preact/hooks';
import type { AgentView } from '../../shared/protocol';
import { AgentsSettings } from './AgentsSettings';
import { BackIcon } from './icons';
import { OutboxSettings } from './OutboxSettings';
import { ProfileSettings } from './ProfileSettings';
import { SavedResponsesSettings } from './SavedResponsesSettings';
import { WidgetSettings } from './WidgetSettings';

interface Props {
  agent: AgentView;
  onBack: () => void;
  /** True (and has left the inbox) when a failure means the session is gone. */
  endedSession: (err: unknown) => boolean;
}

type Page = 'responses' | 'agents' | 'widget' | 'outbox' | 'profile';

const PAGES: { page: Page; label: string; adminOnly: boolean }[] = [
  { page: 'responses', label: 'Saved responses', adminOnly: false },
  { page: 'agents', label: 'Agents', adminOnly: true },
  { page: 'widget', label: 'Widget', adminOnly: true },
  { page: 'outbox', label: 'Outbox', adminOnly: false },
  { page: 'profile', label: 'Profile', adminOnly: false },
];

export function Settings({ agent, onBack, endedSession }: Props) {
  const [page, setPage] = useState<Page>('responses');
  const isAdmin = agent.role === 'admin';
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
          {/* Links, as navigation is: they also keep "Saved responses" out of every search for a "Save" button. */}
          {PAGES.filter((p) => isAdmin || !p.adminOnly).map((p) => (
            <a
              key={p.page}
              href={`#settings-${p.page}`}
              class="settings-nav-item"
              aria-current={page === p.page ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                setPage(p.page);
              }}
            >
              {p.label}
            </a>
          ))}
        </nav>
        {page === 'responses' && <SavedResponsesSettings endedSession={endedSession} />}
        {page === 'agents' && isAdmin && <AgentsSettings self={agent} endedSession={endedSession} />}
        {page === 'widget' && isAdmin && <WidgetSettings endedSession={endedSession} />}
        {page === 'outbox' && <OutboxSettings endedSession={endedSession} />}
        {page === 'profile' && <ProfileSettings agent={agent} endedSession={endedSession} />}
      </div>
    </main>
  );
}
