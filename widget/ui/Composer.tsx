// Where the visitor types: Enter sends, Shift+Enter adds a line; the length limit is shown as it nears.
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_LENGTH } from '../../shared/limits';
import { SendIcon } from './icons';

const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;

export function Composer({
  onSend,
  onDraft,
  autoFocus,
}: {
  onSend: (body: string) => void;
  onDraft: (draft: string) => void;
  autoFocus: boolean;
}) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const body = text.trim();
  const tooLong = body.length > MAX_MESSAGE_LENGTH;

  useEffect(() => {
    if (autoFocus) box.current?.focus();
  }, [autoFocus]);

  // Grow with the text up to the CSS max-height, then scroll.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text]);

  const submit = () => {
    if (!body || tooLong) return;
    onSend(body);
    setText('');
    onDraft('');
    // Sent with the Send button, which the emptied box disables: focus stays in the panel, ready for more.
    box.current?.focus();
  };

  return (
    <>
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <textarea
          ref={box}
          rows={1}
          aria-label="Type your message"
          placeholder="Type your message…"
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            onDraft(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit" class="send" disabled={!body || tooLong}>
          <SendIcon />
          Send
        </button>
      </form>
      {body.length > COUNTER_FROM && (
        <div class={`count${tooLong ? ' over' : ''}`} aria-live="polite">
          {body.length} / {MAX_MESSAGE_LENGTH}
        </div>
      )}
    </>
  );
}
