// Where the visitor types: Enter sends, Shift+Enter adds a line; the length limit is shown as it nears.
// Files come in by the paperclip or by pasting; a refused one is explained in words under the box.
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_LENGTH } from '../../shared/limits';
import { ClipIcon, SendIcon } from './icons';

const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;

export function Composer({
  onSend,
  onDraft,
  onFiles,
  fileError,
  autoFocus,
}: {
  onSend: (body: string) => void;
  onDraft: (draft: string) => void;
  onFiles: (files: File[]) => void;
  /** Why the last file was refused, or null. */
  fileError: string | null;
  autoFocus: boolean;
}) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
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
        <button type="button" class="attach" aria-label="Attach a file" onClick={() => picker.current?.click()}>
          <ClipIcon />
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            onFiles([...(e.currentTarget.files ?? [])]);
            e.currentTarget.value = '';
          }}
        />
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
          onPaste={(e) => {
            const files = [...(e.clipboardData?.files ?? [])];
            if (files.length === 0) return;
            e.preventDefault();
            onFiles(files);
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
      {fileError && (
        <div class="count over" role="alert">
          {fileError}
        </div>
      )}
      {body.length > COUNTER_FROM && (
        <div class={`count${tooLong ? ' over' : ''}`} aria-live="polite">
          {body.length} / {MAX_MESSAGE_LENGTH}
        </div>
      )}
    </>
  );
}
