// The column beside the thread: who the visitor is, where they are browsing from, and their other
// conversations (a click opens one). Page and referrer become links only for http(s) addresses.
// Email and Messenger contacts never browsed the site, so they get no page, referrer, browser or OS rows.
import type { ContactPanel, ParticipantKind } from '../../shared/protocol';
import { calendarDate, channelLabel, fullTime } from './format';
import { CloseIcon } from './icons';
import { safeHref } from './safeHref';
import { UnverifiedMark } from './UnverifiedMark';

interface Props {
  contact: ContactPanel;
  /** Who the conversation is with; decides which facts exist at all. */
  kind?: ParticipantKind;
  /** Narrow screens show the panel over the thread only while this is true. */
  shown: boolean;
  onHide: () => void;
  onOpen: (conversationId: number) => void;
}

export const CONTACT_PANEL_ID = 'contact-panel';

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

/** The heading for a contact without a name. */
const nameless = (c: ContactPanel, kind: ParticipantKind): string =>
  kind === 'web' ? 'Anonymous visitor' : kind === 'messenger' ? 'Messenger user' : (c.email ?? 'Email sender');

/** Where a web visitor was browsing; nothing of it exists for email and Messenger contacts. */
function Browsing({ c }: { c: ContactPanel }) {
  return (
    <>
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
    </>
  );
}

export function ContactDetails({ contact: c, kind = 'web', shown, onHide, onOpen }: Props) {
  return (
    <aside id={CONTACT_PANEL_ID} class={`contact-panel${shown ? ' shown' : ''}`} aria-label="Contact details">
      <div class="contact-head">
        <h3>{c.name ?? nameless(c, kind)}</h3>
        <button type="button" class="icon-button contact-hide" aria-label="Hide contact details" onClick={onHide}>
          <CloseIcon />
        </button>
      </div>
      <dl class="contact-facts">
        {kind !== 'web' && (
          <>
            <dt>Channel</dt>
            <dd>{channelLabel(kind)}</dd>
          </>
        )}
        {kind !== 'messenger' && (
          <>
            <dt>Email</dt>
            <dd>
              <Plain value={c.email} />
              {c.email && !c.emailVerified && (
                <>
                  {' '}
                  <UnverifiedMark />
                </>
              )}
            </dd>
          </>
        )}
        <dt>First seen</dt>
        <dd>
          <time dateTime={new Date(c.firstSeen).toISOString()} title={fullTime(c.firstSeen)}>
            {calendarDate(c.firstSeen)}
          </time>
        </dd>
        {kind === 'web' && <Browsing c={c} />}
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
