// The thread, oldest first, with each of the visitor's messages showing whether it reached us.
// The log is the panel's live region: replies that arrive while it is open are read from it.
import { Component, createRef } from 'preact';
import type { ThreadMessage } from '../connection';
import { Files, type FetchFile } from './Files';
import { MessageText } from './MessageText';

/** How close to the bottom still counts as "reading the newest message". */
const AT_BOTTOM_PX = 24;

// Created on first use: building an Intl formatter loads locale data (tens of ms on a slow phone),
// which must not delay the launcher appearing.
let clockFormat: Intl.DateTimeFormat | undefined;
const clock = {
  format: (time: number) => (clockFormat ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })).format(time),
};

interface Props {
  messages: ThreadMessage[];
  greeting: string;
  /** Name of the agent writing a reply right now. */
  agentTyping: string | null;
  onRetry: (key: string) => void;
  /** A file of this conversation, fetched with the visitor's token. */
  fetchFile: FetchFile;
}

function Delivery({ message, onRetry }: { message: ThreadMessage; onRetry: (key: string) => void }) {
  if (message.state === 'sending') return <span class="meta">Sending…</span>;
  if (message.state === 'failed') {
    return (
      <span class="meta">
        Not sent.
        <button type="button" class="retry" onClick={() => onRetry(message.key)}>
          Retry
        </button>
      </span>
    );
  }
  return <span class="meta">Sent · {clock.format(message.createdAt)}</span>;
}

// A class for what the log keeps between renders: its resize observer, and what the end of the thread
// showed last, so it scrolls only when that changes.
export class MessageList extends Component<Props> {
  #log = createRef<HTMLDivElement>();
  #observer?: ResizeObserver;
  #end = '';

  override componentDidMount(): void {
    const el = this.#log.current;
    if (!el) return;
    // When the log gets shorter (the email form appears below it, an on-screen keyboard opens), the
    // newest message and its status stay in view if they were.
    let height = el.clientHeight;
    this.#observer = new ResizeObserver(() => {
      // Measured with the height it had before this change: was the end of the thread in view?
      if (el.scrollHeight - el.scrollTop - height <= AT_BOTTOM_PX) el.scrollTop = el.scrollHeight;
      height = el.clientHeight;
    });
    this.#observer.observe(el);
    this.componentDidUpdate();
  }

  override componentDidUpdate(): void {
    // Keep the newest message in view whenever one arrives or changes state.
    const { messages, agentTyping } = this.props;
    const last = messages[messages.length - 1];
    const end = `${messages.length} ${last?.key} ${last?.state} ${agentTyping}`;
    const el = this.#log.current;
    if (end === this.#end || !el) return;
    this.#end = end;
    el.scrollTop = el.scrollHeight;
  }

  override componentWillUnmount(): void {
    this.#observer?.disconnect();
  }

  render({ messages, greeting, agentTyping, onRetry, fetchFile }: Props) {
    return (
      <div
        class="log"
        ref={this.#log}
        role="log"
        aria-live="polite"
        aria-label="Conversation"
        // Focusable, so a keyboard can scroll back through the history.
        tabIndex={0}
      >
        <div class="msg agent">
          <div class="bubble">
            <MessageText text={greeting} />
          </div>
        </div>
        {messages.map((m) => (
          <div key={m.key} class={`msg ${m.author} ${m.state}`}>
            {m.author === 'agent' && <span class="who">{m.authorName ?? 'Support'}</span>}
            <div class="bubble">
              <MessageText text={m.body} />
            </div>
            <Files message={m} fetchFile={fetchFile} />
            {m.author === 'visitor' ? (
              <Delivery
                message={m}
                onRetry={(key) => {
                  onRetry(key);
                  // The Retry button goes with the failure: focus moves to the thread, not to the page's <body>.
                  this.#log.current?.focus();
                }}
              />
            ) : (
              <span class="meta">{clock.format(m.createdAt)}</span>
            )}
          </div>
        ))}
        {agentTyping && (
          <div class="typing" role="status">
            {agentTyping} is typing…
          </div>
        )}
      </div>
    );
  }
}
