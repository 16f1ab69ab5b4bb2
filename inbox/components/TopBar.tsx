// The bar across the top of the inbox: the page's h1 (with the number of conversations waiting unread,
// in words for screen readers), the agent's Status, who is signed in (as the team news last named them),
// Notifications, Settings, and the way out.
import type { ComponentChildren } from 'preact';
import type { AgentView } from '../../shared/protocol';
import { useTeam } from '../state/team';
import { Avatar } from './Avatar';
import { LogoIcon, SettingsIcon, SignOutIcon } from './icons';
import { StatusSelect } from './StatusSelect';

/** The Settings button: "Back to inbox" returns the focus here. */
export const SETTINGS_BUTTON_ID = 'settings-button';

const unreadLabel = (unread: number): string => `${unread} unread conversation${unread === 1 ? '' : 's'}`;

interface Props {
  agent: AgentView;
  /** Open conversations with unread visitor messages. */
  unread: number;
  /** The Notifications button and its panel. */
  notifications: ComponentChildren;
  onSettings: () => void;
  onSignOut: () => void;
  signingOut: boolean;
}

export function TopBar({ agent, unread, notifications, onSettings, onSignOut, signingOut }: Props) {
  // A name or picture changed in Profile (here or in another tab) arrives as team news.
  const me = useTeam()?.find((m) => m.id === agent.id);
  const name = me?.name ?? agent.name;
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
        <StatusSelect initial={agent.availability ?? 'available'} live={me?.available} />
        <span class="agent" title={agent.email}>
          <Avatar title={name} seed={agent.id} src={me ? me.avatarUrl : agent.avatarUrl} />
          <span class="agent-name">{name}</span>
        </span>
        {notifications}
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
