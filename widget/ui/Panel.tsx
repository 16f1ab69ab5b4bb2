// Everything inside the open chat panel: header, notices, the thread, the email form and the composer.
// On a small screen it fills the visual viewport and is modal (focus stays in, the page does not
// scroll); it never moves focus out to the host page itself: closing goes through `onClose`.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatConnection } from '../connection';
import { Composer } from './Composer';
import { EmailPrompt, useEmailAsk } from './EmailPrompt';
import { faceNames, Faces } from './Faces';
import { CloseIcon } from './icons';
import { MessageList } from './MessageList';
import { SMALL_SCREEN } from '../launcherStyles';

export interface WidgetText {
  title: string;
  subtitle: string;
  greeting: string;
}

interface Props {
  connection: ChatConnection;
  text: WidgetText;
  /** Closes the panel; the launcher's side puts focus back on the launcher. */
  onClose: () => void;
}

/**
 * On a small screen (SMALL_SCREEN) the panel is modal and fills the visible part of the page: this
 * returns that box as CSS custom properties, or null on a larger screen. An on-screen keyboard
 * shrinks the visual viewport, not the layout one that `inset: 0` follows, so without it the
 * keyboard covers the composer. The visual viewport also resizes with the window, so one listener
 * tells both.
 */
function useSmallScreenBox(): Record<string, string> | null {
  const read = (): Record<string, string> | null => {
    const viewport = window.visualViewport;
    if (!matchMedia(SMALL_SCREEN).matches) return null;
    return viewport ? { '--vv-top': `${viewport.offsetTop}px`, '--vv-height': `${viewport.height}px` } : {};
  };
  const [box, setBox] = useState(read);
  useEffect(() => {
    const viewport = window.visualViewport;
    const update = () => setBox(read());
    addEventListener('resize', update);
    viewport?.addEventListener('resize', update);
    viewport?.addEventListener('scroll', update);
    return () => {
      removeEventListener('resize', update);
      viewport?.removeEventListener('resize', update);
      viewport?.removeEventListener('scroll', update);
    };
  }, []);
  return box;
}

/** While `active`, the host page behind the full-screen panel does not scroll; its own styles come back after. */
function usePageScrollLock(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const locked = [document.documentElement, document.body];
    const before = locked.map((el) => el.style.overflow);
    for (const el of locked) el.style.overflow = 'hidden';
    return () => locked.forEach((el, i) => (el.style.overflow = before[i] ?? ''));
  }, [active]);
}

const TABBABLE = 'a[href],button:not(:disabled),textarea:not(:disabled),input:not(:disabled),[tabindex="0"]';

/** Tab from the last control goes to the first, Shift+Tab from the first to the last: the modal panel keeps focus. */
function keepFocusInside(panel: HTMLElement, e: KeyboardEvent): void {
  const items = [...panel.querySelectorAll<HTMLElement>(TABBABLE)];
  const first = items[0];
  const last = items[items.length - 1];
  const active = (panel.getRootNode() as Document | ShadowRoot).activeElement;
  const wrapTo = e.shiftKey ? (active === first ? last : null) : active === last ? first : null;
  if (!wrapTo) return;
  e.preventDefault();
  wrapTo.focus();
}

export function Panel({ connection, text, onClose }: Props) {
  const messages = connection.messages;
  const panel = useRef<HTMLElement>(null);
  const viewport = useSmallScreenBox();
  const modal = viewport !== null;
  usePageScrollLock(modal);
  const ask = useEmailAsk(connection, messages);
  // The reply-time line would contradict "We'll reply by email": while the form or its answer shows, it says why.
  const subtitle = !ask.shown ? text.subtitle : ask.nobodyOnline ? "We're away right now" : 'Replies are taking longer than usual';

  return (
    <section
      class="panel"
      role="dialog"
      aria-modal={modal ? 'true' : undefined}
      aria-label={text.title}
      ref={panel}
      style={viewport ?? undefined}
      // A file dropped anywhere on the panel is sent, as from the paperclip.
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        for (const file of e.dataTransfer?.files ?? []) connection.attach(file);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.isComposing) {
          e.preventDefault();
          e.stopPropagation(); // handled: the host page's own Escape handlers should not close something else too
          onClose();
        } else if (e.key === 'Tab' && modal && panel.current) keepFocusInside(panel.current, e);
      }}
    >
      {/* A div, not <header>: inside the page the widget's header is not a second banner landmark. */}
      <div class="header">
        <Faces team={connection.team} />
        <div class="heading">
          <div class="title">{text.title}</div>
          <div class="subtitle">{subtitle}</div>
          {connection.team.length > 0 && <div class="names">{faceNames(connection.team)}</div>}
        </div>
        <button type="button" class="close" aria-label="Close chat" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      {connection.status === 'offline' ? (
        <div class="notice" role="status">
          Reconnecting… your messages will be sent as soon as you are back online.
        </div>
      ) : (
        // The server asked us to slow down: polite, since nothing is lost and nothing needs doing.
        connection.pausedFor > 0 && (
          <div class="notice" role="status">
            Sending paused for a moment — your message will go out in {connection.pausedFor} s.
          </div>
        )
      )}
      <MessageList
        messages={messages}
        greeting={text.greeting}
        agentTyping={connection.agentTyping}
        onRetry={(key) => connection.retry(key)}
        fetchFile={(url) => connection.fetchFile(url)}
      />
      <EmailPrompt connection={connection} ask={ask} />
      <Composer
        onSend={(body) => connection.send(body)}
        onDraft={(draft) => connection.typing(draft)}
        onFiles={(files) => files.forEach((file) => connection.attach(file))}
        fileError={connection.uploadError}
        autoFocus={true}
      />
      <div class="brand">Powered by Parley</div>
    </section>
  );
}
