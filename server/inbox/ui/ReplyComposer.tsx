// Where the agent answers: Ctrl/Cmd+Enter or "Send" posts, plain Enter is a new line. Text stays put
// until the server has it, so a failed send loses nothing; the length limit shows as it nears.
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_LENGTH } from '../../../shared/limits';
import { describeError } from './api';
import { SendIcon } from './icons';

/** The counter appears this close to the limit; earlier it is only noise. */
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

export const newClientId = (): string =>
  crypto.randomUUID?.().replace(/-/g, '') ??
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

interface Props {
  /** Resolves once the server has stored the reply; rejects with the reason it did not. */
  onSend: (body: string, clientId: string) => Promise<void>;
  recipient: string;
  /** Text left here earlier (drafts survive switching conversations). */
  initialText?: string;
  onTextChange?: (text: string) => void;
  autoFocus?: boolean;
}

export function ReplyComposer({ onSend, recipient, initialText = '', onTextChange, autoFocus = true }: Props) {
  const [text, setText] = useState(initialText);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const mounted = useRef(true);
  // One id per draft: a retry after a lost answer is stored once, but edited text is a new message.
  const clientId = useRef(newClientId());
  const body = text.trim();
  const tooLong = body.length > MAX_MESSAGE_LENGTH;

  useEffect(() => {
    if (autoFocus) box.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, []);

  // Grow with the text up to the CSS max-height, then scroll.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text]);

  const change = (value: string) => {
    setText(value);
    setError(null);
    clientId.current = newClientId();
    onTextChange?.(value);
  };

  const submit = async () => {
    if (sending || !body) return;
    if (tooLong) {
      setError(`Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
      return;
    }
    setSending(true);
    setError(null);
    try {
      await onSend(body, clientId.current);
      if (!mounted.current) return;
      setText('');
      onTextChange?.('');
      clientId.current = newClientId();
      box.current?.focus();
    } catch (err) {
      if (mounted.current) setError(describeError(err));
    } finally {
      if (mounted.current) setSending(false);
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {error && (
        <div class="composer-error" role="alert">
          {error}
        </div>
      )}
      <div class={`composer-box${tooLong ? ' over' : ''}`}>
        <textarea
          ref={box}
          rows={2}
          aria-label="Reply"
          placeholder={`Reply to ${recipient}…`}
          value={text}
          readOnly={sending}
          onInput={(e) => change(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <div class="composer-bar">
          <span class="composer-hint">{isMac ? '⌘' : 'Ctrl'} + Enter to send</span>
          {body.length > COUNTER_FROM && (
            <span class={`counter${tooLong ? ' over' : ''}`} aria-live="polite">
              {body.length} / {MAX_MESSAGE_LENGTH}
            </span>
          )}
          <button type="submit" class="primary send" disabled={sending || !body || tooLong} aria-busy={sending}>
            <SendIcon />
            Send
          </button>
        </div>
      </div>
    </form>
  );
}
