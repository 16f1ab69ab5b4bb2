// The sign-in form for agents; a wrong password shows the server's message in an alert.
import { useState } from 'preact/hooks';
import type { SessionView } from '../../../shared/protocol';
import { api } from './api';
import { AuthCard } from './AuthCard';
import { FormField } from './FormField';
import { useSubmit } from './useSubmit';

interface Props {
  onSignedIn: (session: SessionView) => void;
  /** Why the agent is here again, e.g. the session ended. */
  notice?: string | null;
}

export function SignIn({ onSignedIn, notice }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();

  return (
    <AuthCard title="Sign in" intro="Answer your visitors from one inbox.">
      {notice && !error && (
        <p class="notice-box" role="status">
          {notice}
        </p>
      )}
      <form
        class="auth-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => onSignedIn(await api.signIn(email, password)));
        }}
      >
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <FormField
          id="signin-email"
          label="Email"
          type="email"
          autocomplete="username"
          required
          autoFocus
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <FormField
          id="signin-password"
          label="Password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" class="primary block" disabled={busy} aria-busy={busy}>
          Sign in
        </button>
      </form>
    </AuthCard>
  );
}
