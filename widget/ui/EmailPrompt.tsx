// Asks for an email when a chat reply may not come: always while no agent is online or business
// hours are over (with the owner's outside-hours text), and once a visitor message has waited
// `askEmailAfterMs` unanswered. Never blocks the composer or steals focus.
import { Component, createRef } from 'preact';
import { MAX_EMAIL_LENGTH } from '../../shared/limits';
import type { ChatConnection, ThreadMessage } from '../connection';

/** When the visitor's oldest message since the last agent reply was written; null if nobody waits. */
export function waitingSince(messages: ThreadMessage[]): number | null {
  let since: number | null = null;
  for (const m of messages) since = m.author === 'agent' ? null : (since ?? m.createdAt);
  return since;
}

/** Whether the panel asks for an email now, and why. */
export interface EmailAsk {
  shown: boolean;
  /** Outside business hours (Settings → Widget). */
  closed: boolean;
  /** No agent is online, or it is outside business hours. */
  nobodyOnline: boolean;
}

/** Read at render time: the panel renders again when a waiting message reaches `askEmailAfterMs` (Panel.tsx). */
export function emailAsk(connection: ChatConnection, messages: ThreadMessage[]): EmailAsk {
  const since = waitingSince(messages);
  const waitedTooLong = since !== null && Date.now() >= since + connection.askEmailAfterMs;
  const closed = connection.settings?.open === false;
  const nobodyOnline = connection.agentsOnline === false || closed;
  return { shown: nobodyOnline || waitedTooLong, closed, nobodyOnline };
}

interface Props {
  connection: ChatConnection;
  ask: EmailAsk;
}

// A class: it keeps what the visitor typed while the form comes and goes, and whether they pressed Save.
export class EmailPrompt extends Component<Props, { address: string }> {
  override state = { address: '' };
  #saved = false;
  /** The address shown when the prompt last rendered, to notice the server's confirmation arriving. */
  #email: string | null = null;
  #confirmation = createRef<HTMLParagraphElement>();

  override componentDidMount(): void {
    this.#email = this.props.connection.email;
  }

  override componentDidUpdate(): void {
    const email = this.props.connection.email;
    if (email === this.#email) return;
    this.#email = email;
    // The Save button just disappeared: keep focus in the panel, on the news that replaces it.
    if (email && this.#saved) this.#confirmation.current?.focus();
  }

  render({ connection, ask }: Props, { address }: { address: string }) {
    const { closed, nobodyOnline } = ask;
    const email = connection.email;
    if (!ask.shown) return null;
    if (email) {
      return (
        <p class="notice done" role="status" tabIndex={-1} ref={this.#confirmation}>
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
          this.#saved = true;
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
          onInput={(e) => this.setState({ address: e.currentTarget.value })}
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
}
