// Everything inside the open chat panel: header, notices, the thread, the email form and the composer.
// On a small screen it fills the visual viewport and is modal (focus stays in, the page does not
// scroll); it never moves focus out to the host page itself: closing goes through `onClose`.
import { Component } from 'preact';
import type { ChatConnection } from '../connection';
import type { LauncherLink } from '../panelLink';
import { Composer } from './Composer';
import { EmailPrompt, emailAsk, waitingSince } from './EmailPrompt';
import { faceNames, Faces } from './Faces';
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
  icon: LauncherLink['icon'];
  /** Closes the panel; the launcher's side puts focus back on the launcher. */
  onClose: () => void;
}

/**
 * On a small screen (SMALL_SCREEN) the panel is modal and fills the visible part of the page: this
 * returns that box as CSS custom properties, or null on a larger screen. An on-screen keyboard
 * shrinks the visual viewport, not the layout one that `inset: 0` follows, so without it the
 * keyboard covers the composer. The visual viewport also resizes with the window, so the panel
 * listens to both and renders again.
 */
function smallScreenBox(): Record<string, string> | null {
  const viewport = window.visualViewport;
  if (!matchMedia(SMALL_SCREEN).matches) return null;
  return viewport ? { '--vv-top': `${viewport.offsetTop}px`, '--vv-height': `${viewport.height}px` } : {};
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

// A class for what lives as long as the open panel: the viewport listeners, the page's scroll lock
// while modal, and the timer that brings up the email form.
export class Panel extends Component<Props> {
  /** The host page's own overflow styles while the modal panel locks its scrolling, to put back after. */
  #pageOverflow: string[] | null = null;
  /** How many messages were on screen when they were last marked seen. */
  #seenCount = -1;
  #emailTimer?: ReturnType<typeof setTimeout>;
  #resize = () => this.forceUpdate();

  override componentDidMount(): void {
    // An open panel says whether anyone is online, so it needs the socket even before the visitor writes.
    this.props.connection.listen();
    addEventListener('resize', this.#resize);
    window.visualViewport?.addEventListener('resize', this.#resize);
    window.visualViewport?.addEventListener('scroll', this.#resize);
    this.componentDidUpdate();
  }

  override componentDidUpdate(): void {
    const { connection } = this.props;
    const messages = connection.messages;
    // Whatever is on screen while the panel is open counts as seen.
    if (messages.length !== this.#seenCount) {
      this.#seenCount = messages.length;
      connection.markSeen();
    }
    this.#lockPageScroll(matchMedia(SMALL_SCREEN).matches);
    // The email form shows once a message has waited askEmailAfterMs: render again at that moment.
    clearTimeout(this.#emailTimer);
    const since = waitingSince(messages);
    const askAt = since === null ? 0 : since + connection.askEmailAfterMs;
    if (askAt > Date.now()) this.#emailTimer = setTimeout(() => this.forceUpdate(), askAt - Date.now());
  }

  override componentWillUnmount(): void {
    removeEventListener('resize', this.#resize);
    window.visualViewport?.removeEventListener('resize', this.#resize);
    window.visualViewport?.removeEventListener('scroll', this.#resize);
    clearTimeout(this.#emailTimer);
    this.#lockPageScroll(false);
  }

  /** While the panel is modal the host page behind it does not scroll; its own styles come back after. */
  #lockPageScroll(lock: boolean): void {
    const page = [document.documentElement, document.body];
    if (lock && !this.#pageOverflow) {
      this.#pageOverflow = page.map((el) => el.style.overflow);
      for (const el of page) el.style.overflow = 'hidden';
    } else if (!lock && this.#pageOverflow) {
      const before = this.#pageOverflow;
      page.forEach((el, i) => (el.style.overflow = before[i] ?? ''));
      this.#pageOverflow = null;
    }
  }

  render({ connection, text, icon, onClose }: Props) {
    const messages = connection.messages;
    const viewport = smallScreenBox();
    const modal = viewport !== null;
    const ask = emailAsk(connection, messages);
    // The reply-time line would contradict "We'll reply by email": while the form or its answer shows, it says why.
    const subtitle = !ask.shown ? text.subtitle : ask.nobodyOnline ? "We're away right now" : 'Replies are taking longer than usual';

    return (
      <section
        class="panel"
        role="dialog"
        aria-modal={modal ? 'true' : undefined}
        aria-label={text.title}
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
          } else if (e.key === 'Tab' && modal) keepFocusInside(e.currentTarget, e);
        }}
      >
        {/* A div, not <header>: inside the page the widget's header is not a second banner landmark. */}
        <div class="header">
          <Faces team={connection.team} icon={icon} />
          <div class="heading">
            <div class="title">{text.title}</div>
            <div class="subtitle">{subtitle}</div>
            {connection.team.length > 0 && <div class="names">{faceNames(connection.team)}</div>}
          </div>
          <button type="button" class="close" aria-label="Close chat" onClick={onClose} dangerouslySetInnerHTML={{ __html: icon('close') }} />
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
          icon={icon}
          onSend={(body) => connection.send(body)}
          onDraft={(draft) => connection.typing(draft)}
          onFiles={(files) => files.forEach((file) => connection.attach(file))}
          fileError={connection.uploadError}
        />
        <div class="brand">Powered by Parley</div>
      </section>
    );
  }
}
