// The "Private note" side of the reply area: text only agents will read, "@name" to tell a colleague.
// Ctrl/Cmd+Enter or "Add note" posts; the text stays until the server has it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_LENGTH } from '../../shared/limits';
import { describeError } from '../api/client';

interface Props {
  /** Resolves once the server has stored the note; rejects with its reason. */
  onAdd: (body: string) => Promise<void>;
  text: string;
  onTextChange: (text: string) => void;
  autoFocus?: boolean;
}

export function NoteComposer({ onAdd, text, onTextChange, autoFocus = false }: Props) {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const mounted = useRef(true);
  const body = text.trim();
  const tooLong = body.length > MAX_MESSAGE_LENGTH;

  useEffect(() => {
    if (autoFocus) box.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, []);

  const submit = async () => {
    if (sending || !body) return;
    if (tooLong) {
      setError(`Note is longer than ${MAX_MESSAGE_LENGTH} characters`);
      return;
    }
    setSending(true);
    setError(null);
    try {
      await onAdd(body);
      if (!mounted.current) return;
      onTextChange('');
      box.current?.focus();
    } catch (err) {
      if (mounted.current) setError(describeError(err));
    } finally {
      if (mounted.current) setSending(false);
    }
  };

  return (
    <form
      class="composer note-composer"
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
          aria-label="Private note"
          aria-describedby="note-hint"
          placeholder="A note only agents will see…"
          value={text}
          readOnly={sending}
          onInput={(e) => {
            setError(null);
            onTextChange(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <div class="composer-bar">
          <span class="composer-hint" id="note-hint">
            Never sent to the visitor · @name tells a colleague
          </span>
          {tooLong && (
            <span class="counter over" aria-live="polite">
              {body.length} / {MAX_MESSAGE_LENGTH}
            </span>
          )}
          <span class="composer-actions">
            <button type="submit" class="primary note-add" disabled={sending || !body || tooLong} aria-busy={sending}>
              Add note
            </button>
          </span>
        </div>
      </div>
    </form>
  );
}
