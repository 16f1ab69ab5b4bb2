// The bar across the top of the inbox: the page's h1 (with the number of conversations waiting unread,
// in words for screen readers), who is signed in, Settings, and the way out.
import type { AgentView } from '../../shared/protocol';
import { Avatar } from './Avatar';
import { LogoIcon, SettingsIcon, SignOutIcon } from './icons';

/** The Settings button: "Back to inbox" returns the focus here. */
export const SETTINGS_BUTTON_ID = 'settings-button';

const unreadLabel = (unread: number): string => `${unread} unread conversation${unread === 1 ? '' : 's'}`;

interface Props {
  agent: AgentView;
  /** Open conversations with unread visitor messages. */
  unread: number;
  onSettings: () => void;
  onSignOut: () => void;
  signingOut: boolean;
}

export function TopBar({ agent, unread, onSettings, onSignOut, signingOut }: Props) {
  return (
    <header class="topbar">
      <div class="brand">
        <span class="logo">
          <LogoIcon />
        </span>
        <h1>Parley Inbox</h1>
        {unread > 0 && (
          <span class="unread-count" title={unreadLabel(unread)}>
            <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
            <span class="visually-hidden">{unreadLabel(unread)}</span>
          </span>
        )}
      </div>
      <div class="topbar-right">
        <span class="agent" title={agent.email}>
          <Avatar title={agent.name} seed={agent.id} />
          <span class="agent-name">{agent.name}</span>
        </span>
        <button type="button" class="ghost" id={SETTINGS_BUTTON_ID} onClick={onSettings}>
          <SettingsIcon />
          <span class="button-label">Settings</span>
        </button>
        <button type="button" class="ghost" onClick={onSignOut} aria-disabled={signingOut}>
          <SignOutIcon />
          <span class="button-label">Sign out</span>
        </button>
      </div>
    </header>
  );
}
