// Settings › Outbox: every email Parley sent or meant to send (replies, follow-ups, chat threads), with
// its status and, opened, its text; above them, whether mail leaves this server at all.
import { useState } from 'preact/hooks';
import type { OutboxEmail, OutboxPage } from '../../shared/protocol';
import { api, describeError } from '../api/client';
import { DeliveryBadge } from './DeliveryBadge';
import { fullTime } from './format';
import { useFocusAfterRender } from '../state/useFocusAfterRender';
import { useResource } from '../state/useResource';

const KIND_LABELS: Record<OutboxEmail['kind'], string> = { reply: 'Reply', followup: 'Follow-up', transcript: 'Chat thread' };

const TRANSPORT_LINES: Record<OutboxPage['transport'], string> = {
  resend: 'Mail is sent through Resend',
  local: 'No email provider is configured (RESEND_API_KEY): emails are kept here and not sent',
};

/** An email's summary line: the focus moves to the first new one when "Load more" goes away. */
const summaryId = (id: number): string => `outbox-email-${id}`;

function Email({ e }: { e: OutboxEmail }) {
  const at = e.sentAt ?? e.createdAt;
  return (
    <li class="outbox-item">
      <details>
        <summary id={summaryId(e.id)}>
          <span class="outbox-main">
            <strong class="outbox-subject">{e.subject}</strong>
            <span class="outbox-to">{`To ${e.to}`}</span>
          </span>
          <span class="chip">{KIND_LABELS[e.kind]}</span>
          {/* "Sent" would claim it reached the recipient: without a provider it only went into this list. */}
          {e.transport === 'local' && e.status === 'sent' ? (
            <span class="delivery-state kept">Kept here (not sent)</span>
          ) : (
            <DeliveryBadge state={e.status} error={e.lastError} />
          )}
          <time class="outbox-time" dateTime={new Date(at).toISOString()}>
            {fullTime(at)}
          </time>
        </summary>
        {/* The plain-text part, as text: never the HTML part, never as markup. */}
        <pre class="outbox-text">{e.text}</pre>
      </details>
    </li>
  );
}

/** The next page, without emails the list already shows (new ones may have pushed rows down meanwhile). */
const appendEmails = (shown: OutboxPage | null, page: OutboxPage): OutboxPage => {
  const ids = new Set(shown?.emails.map((e) => e.id));
  return { ...page, emails: [...(shown?.emails ?? []), ...page.emails.filter((e) => !ids.has(e.id))] };
};

export function OutboxSettings({ endedSession }: { endedSession: (err: unknown) => boolean }) {
  const outbox = useResource(() => api.outbox(), endedSession);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const page = outbox.data;
  const focusAfterRender = useFocusAfterRender();

  const loadMore = async () => {
    if (!page?.nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    const from = document.activeElement;
    try {
      const next = await api.outbox(page.nextCursor);
      outbox.setData((shown) => appendEmails(shown, next));
      const first = next.emails.find((e) => !page.emails.some((shown) => shown.id === e.id));
      if (!next.nextCursor && first) focusAfterRender(() => document.getElementById(summaryId(first.id)), from);
    } catch (err) {
      if (!endedSession(err)) setMoreError(describeError(err));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section class="settings-section" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Outbox</h2>
      <p class="section-intro">Emails to contacts: replies, follow-ups and chat threads. Open one to read what was sent.</p>
      {page && <p class={`outbox-transport ${page.transport}`}>{TRANSPORT_LINES[page.transport]}</p>}
      {outbox.error && (
        <div class="inline-alert" role="alert">
          <span>{outbox.error}</span>
          <button type="button" class="link-button" onClick={() => void outbox.reload()}>
            Try again
          </button>
        </div>
      )}
      {!page && !outbox.error && <p class="settings-note">Loading the outbox…</p>}
      {page?.emails.length === 0 && <p class="settings-note">No emails yet</p>}
      {page && page.emails.length > 0 && (
        <ul class="card outbox-list" aria-labelledby="outbox-title">
          {page.emails.map((e) => (
            <Email key={e.id} e={e} />
          ))}
        </ul>
      )}
      {moreError && (
        <p class="inline-alert" role="alert">
          {moreError}
        </p>
      )}
      {page?.nextCursor && (
        <div class="load-more">
          <button type="button" class="secondary" onClick={() => void loadMore()} aria-disabled={loadingMore} aria-busy={loadingMore}>
            Load more
          </button>
        </div>
      )}
    </section>
  );
}
