// The bar across the top of the inbox: the brand, who is signed in, and the way out.
import type { AgentView } from '../../../shared/protocol';
import { Avatar } from './Avatar';
import { LogoIcon, SignOutIcon } from './icons';

export function TopBar({ agent, onSignOut, signingOut }: { agent: AgentView; onSignOut: () => void; signingOut: boolean }) {
  return (
    <header class="topbar">
      <div class="brand">
        <span class="logo">
          <LogoIcon />
        </span>
        Parley Inbox
      </div>
      <div class="topbar-right">
        <span class="agent" title={agent.email}>
          <Avatar title={agent.name} seed={agent.id} />
          <span class="agent-name">{agent.name}</span>
        </span>
        <button type="button" class="ghost" onClick={onSignOut} disabled={signingOut}>
          <SignOutIcon />
          Sign out
        </button>
      </div>
    </header>
  );
}
