// The bar across the top of the inbox: the brand (with a red dot while conversations wait unread),
// the agent's Status, who is signed in (as the team news last named them), Notifications, Settings, and the way out.
import type { ComponentChildren } from 'preact';
import type { AgentView } from '../../shared/protocol';
import { useTeam } from '../state/team';
import { Avatar } from './Avatar';
import { LogoIcon, SettingsIcon, SignOutIcon } from './icons';
import { StatusSelect } from './StatusSelect';

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
        Parley Inbox
        {unread > 0 && (
          <span
            class="unread-dot"
            role="img"
            aria-label="Unread conversations"
            title={`${unread} unread conversation${unread === 1 ? '' : 's'}`}
          />
        )}
      </div>
      <div class="topbar-right">
        <StatusSelect initial={agent.availability ?? 'available'} live={me?.available} />
        <span class="agent" title={agent.email}>
          <Avatar title={name} seed={agent.id} src={me ? me.avatarUrl : agent.avatarUrl} />
          <span class="agent-name">{name}</span>
        </span>
        {notifications}
        <button type="button" class="ghost" onClick={onSettings}>
          <SettingsIcon />
          <span class="button-label">Settings</span>
        </button>
        <button type="button" class="ghost" onClick={onSignOut} disabled={signingOut}>
          <SignOutIcon />
          <span class="button-label">Sign out</span>
        </button>
      </div>
    </header>
  );
}
