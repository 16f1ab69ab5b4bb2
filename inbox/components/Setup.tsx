// First run only: while no agent exists, the inbox asks for the first admin's account instead of a sign-in.
import { useState } from 'preact/hooks';
import type { SessionView } from '../../shared/protocol';
import { api, ApiRequestError } from '../api/client';
import { AuthCard } from './AuthCard';
import { FormField } from './FormField';
import { useSubmit } from '../state/useSubmit';
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../shared/limits';

interface Props {
  onSignedIn: (session: SessionView) => void;
  /** Someone else created the admin meanwhile (409): offer the sign-in form. */
  onSignInInstead: () => void;
}


export function Setup({ onSignedIn, onSignInInstead }: Props) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, failure, run } = useSubmit();
  const taken = failure instanceof ApiRequestError && failure.status === 409;

  return (
    <AuthCard title="Create the first admin" intro="Welcome to Parley. This account can sign in to the inbox and add other agents.">
      <form
        class="auth-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => onSignedIn(await api.setup({ name, email, password })));
        }}
      >
        {error && (
          <p class="form-error" role="alert">
            {error}
            {taken && (
              <>
                {' '}
                <button type="button" class="link-button" onClick={onSignInInstead}>
                  Go to sign in
                </button>
              </>
            )}
          </p>
        )}
        <FormField
          id="setup-name"
          label="Name"
          autocomplete="name"
          required
          maxLength={MAX_NAME_LENGTH}
          autoFocus
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <FormField
          id="setup-email"
          label="Email"
          type="email"
          autocomplete="username"
          required
          maxLength={MAX_EMAIL_LENGTH}
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <FormField
          id="setup-password"
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={MAX_PASSWORD_LENGTH}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" class="primary block" aria-disabled={busy} aria-busy={busy}>
          Create admin
        </button>
      </form>
    </AuthCard>
  );
}
