// The page's top level: asks the server who is signed in, then shows the first-admin setup, the
// sign-in form or the inbox, and moves between them as the session starts and ends.
import { useEffect, useState } from 'preact/hooks';
import type { ChannelSupport } from '../../shared/channels';
import type { AgentPreferences, AgentView, SessionView } from '../../shared/protocol';
import { api, describeError, setCsrfToken } from '../api/client';
import { Inbox } from './Inbox';
import { Setup } from './Setup';
import { SignIn } from './SignIn';

type View =
  | { kind: 'loading' }
  | { kind: 'unreachable'; error: string }
  | { kind: 'setup' }
  | { kind: 'signIn'; notice: string | null }
  | { kind: 'inbox'; agent: AgentView; channels: ChannelSupport; preferences: AgentPreferences };

export function App() {
  const [view, setView] = useState<View>({ kind: 'loading' });

  const enter = (session: SessionView) => {
    setCsrfToken(session.csrfToken);
    if (session.agent) setView({ kind: 'inbox', agent: session.agent, channels: session.channels, preferences: session.preferences });
    else if (session.setupRequired) setView({ kind: 'setup' });
    else setView({ kind: 'signIn', notice: null });
  };

  const load = () => {
    setView({ kind: 'loading' });
    api.session().then(enter, (err: unknown) => setView({ kind: 'unreachable', error: describeError(err) }));
  };

  useEffect(load, []);

  const signedOut = (notice: string | null) => {
    setCsrfToken(null);
    setView({ kind: 'signIn', notice });
  };

  switch (view.kind) {
    case 'loading':
      return (
        <div class="center-note" aria-busy="true">
          <h1 class="visually-hidden">Parley Inbox</h1>
          Loading…
        </div>
      );
    case 'unreachable':
      return (
        <div class="center-note">
          <h1 class="visually-hidden">Parley Inbox</h1>
          <p role="alert">{view.error}</p>
          <button type="button" class="secondary" onClick={load}>
            Try again
          </button>
        </div>
      );
    case 'setup':
      return <Setup onSignedIn={enter} onSignInInstead={() => setView({ kind: 'signIn', notice: null })} />;
    case 'signIn':
      return <SignIn onSignedIn={enter} notice={view.notice} />;
    case 'inbox':
      return (
        <Inbox key={view.agent.id} agent={view.agent} channels={view.channels} preferences={view.preferences} onSignedOut={signedOut} />
      );
  }
}
