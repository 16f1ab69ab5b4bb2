// Asks for an email when a chat reply may not come: always while no agent is online or business
// hours are over (with the owner's outside-hours text), and once a visitor message has waited
// `askEmailAfterMs` unanswered. Never blocks the composer or steals focus.
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { MAX_EMAIL_LENGTH } from '../../shared/limits';
import type { ChatConnection, ThreadMessage } from '../connection';

/** When the visitor's oldest message since the last agent reply was written; null if nobody waits. */
export function waitingSince(messages: ThreadMessage[]): number | null {
  let since: number | null = null;
  for (const m of messages) since = m.author === 'agent' ? null : (since ?? m.createdAt);
  return since;
}

/** True once the clock passes `time`, re-rendering at that moment. */
function usePassed(time: number | null): boolean {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (time === null) return;
    const timer = setTimeout(tick, time - Date.now());
    return () => clearTimeout(timer);
  }, [time]);
  return time !== null && Date.now() >= time;
}

/** Whether the panel asks for an email now, and why. */
export interface EmailAsk {
  shown: boolean;
  /** Outside business hours (Settings → Widget). */
  closed: boolean;
  /** No agent is online, or it is outside business hours. */
  nobodyOnline: boolean;
}

export function useEmailAsk(connection: ChatConnection, messages: ThreadMessage[]): EmailAsk {
  const since = waitingSince(messages);
  const waitedTooLong = usePassed(since === null ? null : since + connection.askEmailAfterMs);
  const closed = connection.settings?.open === false;
  const nobodyOnline = connection.agentsOnline === false || closed;
  return { shown: nobodyOnline || waitedTooLong, closed, nobodyOnline };
}

export function EmailPrompt({ connection, ask }: { connection: ChatConnection; ask: EmailAsk }) {
  const { closed, nobodyOnline } = ask;
  const [address, setAddress] = useState('');
  const [saved, setSaved] = useState(false);
  const confirmation = useRef<HTMLParagraphElement>(null);
  const email = connection.email;

  // The Save button just disappeared: keep focus in the panel, on the news that replaces it.
  useEffect(() => {
    if (email && saved) confirmation.current?.focus();
  }, [email]);

  if (!ask.shown) return null;
  if (email) {
    return (
      <p class="notice done" role="status" tabIndex={-1} ref={confirmation}>
        We'll reply to {email} by email
      </p>
    );
  }
  const error = connection.emailError;
  // The browser checks the address first (type=email: it must have an @; and maxLength); the server
  // checks it properly and its refusal shows below the field.
  return (
    <form
      class="composer email"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(true);
        // Lower-cased as the server stores it, so the confirmation does not change when it arrives.
        connection.identify({ email: address.trim().toLowerCase() });
      }}
    >
      <p>{closed ? connection.settings?.outsideHoursText : nobodyOnline ? "We'll reply by email" : 'No reply yet? Leave your email'}</p>
      <input
        type="email"
        aria-label="Email"
        autocomplete="email"
        placeholder="you@example.com"
        required
        maxLength={MAX_EMAIL_LENGTH}
        aria-invalid={Boolean(error)}
        value={address}
        onInput={(e) => setAddress(e.currentTarget.value)}
      />
      <button class="send">Save</button>
      {error && (
        <p class="err" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
