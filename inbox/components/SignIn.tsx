// The sign-in form for agents; a wrong password shows the server's message in an alert, and too
// many of them the wait the server asked for, counting down.
import { useEffect, useState } from 'preact/hooks';
import type { SessionView } from '../../shared/protocol';
import { api, ApiRequestError } from '../api/client';
import { AuthCard } from './AuthCard';
import { FormField } from './FormField';
import { useSubmit } from '../state/useSubmit';

interface Props {
  onSignedIn: (session: SessionView) => void;
  /** Why the agent is here again, e.g. the session ended. */
  notice?: string | null;
}

const seconds = (n: number) => `${n} second${n === 1 ? '' : 's'}`;

/** Seconds left of the wait a 429 asked for (null for any other outcome); 0 once it is over. */
function useWaitAfter(failure: unknown): number | null {
  const wait = failure instanceof ApiRequestError && failure.status === 429 ? (failure.retryAfterSeconds ?? 1) : null;
  // Tagged with the failure it counts for, so a new refusal shows its own wait from its first render.
  const [tick, setTick] = useState<{ failure: unknown; left: number } | null>(null);
  useEffect(() => {
    if (wait === null) return;
    // From a deadline, not by counting ticks: a background tab's timers run late.
    const until = Date.now() + wait * 1000;
    const timer = setInterval(() => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setTick({ failure, left });
      if (left === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [failure]);
  if (wait === null) return null;
  return tick && tick.failure === failure ? tick.left : wait;
}

export function SignIn({ onSignedIn, notice }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, failure, run } = useSubmit();
  const waitLeft = useWaitAfter(failure);

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
        {waitLeft !== null ? (
          waitLeft > 0 && (
            <p class="form-error" role="alert">
              {/* The alert is read once; the ticking number is not re-announced every second. */}
              Too many attempts. Try again in{' '}
              <span role="timer" aria-live="off">
                {seconds(waitLeft)}
              </span>
              .
            </p>
          )
        ) : (
          error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )
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
        <button type="submit" class="primary block" aria-disabled={busy} aria-busy={busy}>
          Sign in
        </button>
      </form>
    </AuthCard>
  );
}
