// "Show original" under a message that came by email: a disclosure that loads and shows, in place, the
// whole text Parley read (quotes and signature included), with a download of the source when it was
// kept. The text is a text child, never HTML; nothing is fetched until an agent asks.
import { useState } from 'preact/hooks';
import { api, describeError, type EmailOriginalText } from '../api/client';

type Loaded = { state: 'loading' } | { state: 'failed'; error: string } | { state: 'ready'; original: EmailOriginalText };

export function EmailOriginal({ messageId }: { messageId: number }) {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const regionId = `email-original-${messageId}`;

  const load = () => {
    setLoaded({ state: 'loading' });
    api.emailOriginal(messageId).then(
      (original) => setLoaded({ state: 'ready', original }),
      (err: unknown) => setLoaded({ state: 'failed', error: describeError(err) }),
    );
  };
  const toggle = () => {
    if (!open && (loaded === null || loaded.state === 'failed')) load();
    setOpen(!open);
  };

  return (
    <div class="email-original">
      <button type="button" class="link-button email-original-toggle" aria-expanded={open} aria-controls={regionId} onClick={toggle}>
        Show original
      </button>
      {open && (
        <div id={regionId} role="region" aria-label="Original email">
          {loaded?.state === 'loading' && <p role="status">Loading the original…</p>}
          {loaded?.state === 'failed' && <p role="alert">{loaded.error}</p>}
          {loaded?.state === 'ready' && (
            <>
              {/* Focusable, so a keyboard can scroll a long email. */}
              <pre class="email-original-text" tabIndex={0} aria-label="Whole text of the email">
                {loaded.original.text || '(The email had no text)'}
              </pre>
              {loaded.original.sourceUrl && (
                <a class="email-original-source" href={loaded.original.sourceUrl} download>
                  Download the source (.eml)
                </a>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
