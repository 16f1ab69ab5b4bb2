// The column beside the thread: who the visitor is, where they are browsing from, and their other
// conversations (a click opens one). Page and referrer become links only for http(s) addresses.
import type { ContactPanel } from '../../../shared/protocol';
import { calendarDate, fullTime } from './format';
import { CloseIcon } from './icons';

interface Props {
  contact: ContactPanel;
  /** Narrow screens show the panel over the thread only while this is true. */
  shown: boolean;
  onHide: () => void;
  onOpen: (conversationId: number) => void;
}

export const CONTACT_PANEL_ID = 'contact-panel';

/** The address to link to, or null when it must stay text (javascript:, data:, garbage). */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function Address({ url }: { url: string | null }) {
  if (!url) return <span class="unknown">Unknown</span>;
  const href = safeHref(url);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer" class="contact-url">
      {url}
    </a>
  ) : (
    <span class="contact-url">{url}</span>
  );
}

const Plain = ({ value }: { value: string | null }) => (value ? <>{value}</> : <span class="unknown">Unknown</span>);

export function ContactDetails({ contact: c, shown, onHide, onOpen }: Props) {
  return (
    <aside id={CONTACT_PANEL_ID} class={`contact-panel${shown ? ' shown' : ''}`} aria-label="Contact details">
      <div class="contact-head">
        <h3>{c.name ?? 'Anonymous visitor'}</h3>
        <button type="button" class="icon-button contact-hide" aria-label="Hide contact details" onClick={onHide}>
          <CloseIcon />
        </button>
      </div>
      <dl class="contact-facts">
        <dt>Email</dt>
        <dd>
          <Plain value={c.email} />
        </dd>
        <dt>First seen</dt>
        <dd>
          <time dateTime={new Date(c.firstSeen).toISOString()} title={fullTime(c.firstSeen)}>
            {calendarDate(c.firstSeen)}
          </time>
        </dd>
        <dt>Page</dt>
        <dd>
          <Address url={c.pageUrl} />
        </dd>
        <dt>Referrer</dt>
        <dd>
          <Address url={c.referrer} />
        </dd>
        <dt>Browser</dt>
        <dd>
          <Plain value={c.browser} />
        </dd>
        <dt>OS</dt>
        <dd>
          <Plain value={c.os} />
        </dd>
        <dt>Conversations</dt>
        <dd>{c.conversationCount}</dd>
      </dl>
      {c.otherConversations.length > 0 && (
        <section class="contact-others" aria-labelledby="contact-others-title">
          <h4 id="contact-others-title">Other conversations</h4>
          <ul>
            {c.otherConversations.map((o) => (
              <li key={o.id}>
                <button type="button" class="other-conversation" onClick={() => onOpen(o.id)}>
                  <span class="other-preview">{o.lastMessagePreview || 'No messages yet'}</span>
                  <span class="other-meta">
                    {calendarDate(o.lastMessageAt)} · {o.status === 'complete' ? 'Completed' : 'Open'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  );
}
