// Where the agent answers: Ctrl/Cmd+Enter or "Send" posts, plain Enter is a new line; text stays until
// the server has it. Saved responses ("/" in an empty box) drop in at the cursor; unknown tags stop here.
// Which channel the reply takes is decided around it (ReplyPanel); the box only says where it goes.
// Files (the paperclip, a paste, a drop) upload at once with a progress bar and go with the reply.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_LENGTH } from '../../shared/limits';
import type { Channel, SavedResponse } from '../../shared/protocol';
import { api, describeError, type SavedResponseList } from '../api/client';
import { AttachmentIcon, SavedIcon, SendIcon } from './icons';
import { SavedResponsePicker } from './SavedResponsePicker';
import { unknownTagError } from './tagCheck';
import { TagHint, tagInto } from './TagHint';

/** The counter appears this close to the limit; earlier it is only noise. */
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

export const newClientId = (): string =>
  crypto.randomUUID?.().replace(/-/g, '') ??
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/** The empty box's prompt names the way the reply will travel. */
const PLACEHOLDERS: Record<Channel, (recipient: string) => string> = {
  chat: (recipient) => `Reply to ${recipient}…`,
  email: (recipient) => `Reply by email to ${recipient}…`,
  messenger: (recipient) => `Reply on Messenger to ${recipient}…`,
};

interface Props {
  /** Resolves once the server has stored the reply; rejects with the reason it did not. */
  onSend: (body: string, clientId: string, attachmentIds: number[]) => Promise<void>;
  recipient: string;
  /** Where the reply goes; only the wording depends on it. Defaults to chat. */
  channel?: Channel;
  /** Shown above the box: the channel picker and its notes. */
  toolbar?: ComponentChildren;
  /** True while nothing may be sent (the channel is unusable, Messenger's window is shut). */
  sendBlocked?: boolean;
  /** When given, a "Send chat thread" button sends the transcript, with the text (if any) as its note. */
  onSendThread?: (note: string, clientId: string) => Promise<void>;
  /** Text left here earlier (drafts survive switching conversations). */
  initialText?: string;
  onTextChange?: (text: string) => void;
  /** Called as the agent types (the page throttles what it tells the server). */
  onTyping?: () => void;
  /** Where saved responses come from; the API unless a test says otherwise. */
  loadSavedResponses?: () => Promise<SavedResponseList>;
  /** Where files go before the reply names them; the API unless a test says otherwise. */
  uploadFile?: typeof api.uploadFile;
  autoFocus?: boolean;
}

/** A file attached to the draft: uploading (id null) or kept, ready to go with the reply. */
interface DraftFile {
  key: number;
  name: string;
  progress: number;
  id: number | null;
}

let nextFileKey = 0;

/** Where a saved response goes: the selection the reply box had when the picker opened. */
interface Insertion {
  start: number;
  end: number;
}

export function ReplyComposer({
  onSend,
  recipient,
  channel = 'chat',
  toolbar,
  sendBlocked = false,
  onSendThread,
  initialText = '',
  onTextChange,
  onTyping,
  loadSavedResponses = api.savedResponses,
  uploadFile = api.uploadFile,
  autoFocus = true,
}: Props) {
  const [files, setFiles] = useState<DraftFile[]>([]);
  const picker = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initialText);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState<Insertion | null>(null);
  const [saved, setSaved] = useState<SavedResponseList | null>(null);
  const [savedError, setSavedError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes once the text it was computed for is rendered. */
  const caret = useRef<number | null>(null);
  const mounted = useRef(true);
  // One id per draft: a retry after a lost answer is stored once, but edited text is a new message.
  const clientId = useRef(newClientId());
  const body = text.trim();
  const tooLong = body.length > MAX_MESSAGE_LENGTH;
  const uploading = files.some((f) => f.id === null);
  const attachmentIds = files.flatMap((f) => (f.id === null ? [] : [f.id]));

  const updateFile = (key: number, change: Partial<DraftFile> | null) =>
    setFiles((current) => (change ? current.map((f) => (f.key === key ? { ...f, ...change } : f)) : current.filter((f) => f.key !== key)));

  const attach = (picked: File[]) => {
    setError(null);
    for (const file of picked) {
      const key = nextFileKey++;
      setFiles((current) => [...current, { key, name: file.name, progress: 0, id: null }]);
      uploadFile(file, (progress) => mounted.current && updateFile(key, { progress })).then(
        ({ id }) => mounted.current && updateFile(key, { id, progress: 1 }),
        (err: unknown) => {
          if (!mounted.current) return;
          updateFile(key, null);
          setError(`${file.name}: ${describeError(err)}`);
        },
      );
    }
  };

  useEffect(() => {
    if (autoFocus) box.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, []);

  // Grow with the text up to the CSS max-height, then scroll; put the caret after an inserted response.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
    if (caret.current !== null) {
      el.setSelectionRange(caret.current, caret.current);
      caret.current = null;
    }
  }, [text]);

  const change = (value: string) => {
    setText(value);
    setError(null);
    clientId.current = newClientId();
    onTextChange?.(value);
    if (value) onTyping?.();
  };

  // Fetched on every opening: Settings may have changed them since.
  const openPicker = () => {
    const el = box.current;
    setPicking({ start: el?.selectionStart ?? text.length, end: el?.selectionEnd ?? text.length });
    setSavedError(null);
    loadSavedResponses().then(
      (data) => {
        if (mounted.current) setSaved(data);
      },
      (err: unknown) => {
        if (mounted.current) setSavedError(describeError(err));
      },
    );
  };

  const closePicker = () => {
    setPicking(null);
    box.current?.focus();
  };

  const insert = (response: SavedResponse) => {
    const at = picking ?? { start: text.length, end: text.length };
    caret.current = at.start + response.body.length;
    change(text.slice(0, at.start) + response.body + text.slice(at.end));
    closePicker();
  };

  const insertTagChip = (tag: string) => {
    if (sending) return;
    const next = tagInto(box.current, text, tag);
    caret.current = next.caret;
    change(next.text);
    box.current?.focus();
  };

  // A refusal shown for one channel says nothing about the next one picked.
  useEffect(() => setError(null), [channel]);

  /** Sends with `send` (the reply, or the chat thread whose note may be empty); clears the box once stored. */
  const submit = async (send: (body: string, clientId: string, attachmentIds: number[]) => Promise<void>, emptyAllowed = false) => {
    if (sending || uploading || (!body && !emptyAllowed && attachmentIds.length === 0)) return;
    if (tooLong) {
      setError(`Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
      return;
    }
    const badTags = unknownTagError(body);
    if (badTags) {
      setError(badTags);
      return;
    }
    setSending(true);
    setError(null);
    try {
      await send(body, clientId.current, attachmentIds);
      if (!mounted.current) return;
      setText('');
      setFiles([]);
      onTextChange?.('');
      clientId.current = newClientId();
      box.current?.focus();
    } catch (err) {
      if (!mounted.current) return;
      setError(describeError(err));
      box.current?.focus(); // Send was disabled under the focus while sending
    } finally {
      if (mounted.current) setSending(false);
    }
  };

  return (
    <form
      class="composer"
      // A file dropped on the composer is attached, as from the paperclip.
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        attach([...(e.dataTransfer?.files ?? [])]);
      }}
      onSubmit={(e) => {
        e.preventDefault();
        if (!sendBlocked) void submit(onSend);
      }}
    >
      {toolbar}
      {error && (
        <div class="composer-error" role="alert">
          {error}
        </div>
      )}
      {picking && <SavedResponsePicker data={saved} error={savedError} onChoose={insert} onClose={closePicker} />}
      <div class={`composer-box${tooLong ? ' over' : ''}`}>
        {files.length > 0 && (
          <ul class="composer-files" aria-label="Attached files">
            {files.map((f) => (
              <li key={f.key}>
                <AttachmentIcon />
                {f.name}
                {f.id === null && <progress max={1} value={f.progress} aria-label={`Uploading ${f.name}`} />}
                <button type="button" class="ghost small" aria-label={`Remove ${f.name}`} onClick={() => updateFile(f.key, null)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <textarea
          ref={box}
          rows={2}
          aria-label="Reply"
          aria-describedby="composer-tags"
          placeholder={PLACEHOLDERS[channel](recipient)}
          value={text}
          readOnly={sending}
          onInput={(e) => {
            // "/" typed into an empty box opens the picker instead (for input that skipped keydown).
            if (text === '' && e.currentTarget.value === '/') {
              e.currentTarget.value = '';
              openPicker();
              return;
            }
            change(e.currentTarget.value);
          }}
          onPaste={(e) => {
            const pasted = [...(e.clipboardData?.files ?? [])];
            if (pasted.length === 0) return;
            e.preventDefault();
            attach(pasted);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) {
              e.preventDefault();
              if (!sendBlocked) void submit(onSend);
            } else if (e.key === '/' && text === '' && !sending && !e.ctrlKey && !e.metaKey && !e.altKey) {
              e.preventDefault();
              openPicker();
            }
          }}
        />
        <div class="composer-bar">
          <button
            type="button"
            class="ghost saved-button"
            aria-haspopup="dialog"
            aria-expanded={picking !== null}
            disabled={sending}
            onClick={() => (picking ? closePicker() : openPicker())}
          >
            <SavedIcon />
            Saved responses
          </button>
          <button type="button" class="ghost saved-button" aria-label="Attach a file" disabled={sending} onClick={() => picker.current?.click()}>
            <AttachmentIcon />
          </button>
          <input
            ref={picker}
            type="file"
            multiple
            hidden
            onChange={(e) => {
              attach([...(e.currentTarget.files ?? [])]);
              e.currentTarget.value = '';
            }}
          />
          <span class="composer-hint">{isMac ? '⌘' : 'Ctrl'} + Enter to send · / in an empty reply for saved responses</span>
          {body.length > COUNTER_FROM && (
            <span class={`counter${tooLong ? ' over' : ''}`} aria-live="polite">
              {body.length} / {MAX_MESSAGE_LENGTH}
            </span>
          )}
          <span class="composer-actions">
            {onSendThread && (
              <button
                type="button"
                class="secondary small"
                title={files.length > 0 ? 'A chat thread goes without files: send them as a reply' : 'Email the whole conversation so far, with your text on top'}
                disabled={sending || tooLong || files.length > 0}
                onClick={() => void submit(onSendThread, true)}
              >
                Send chat thread
              </button>
            )}
            <button type="submit" class="primary send" disabled={sending || uploading || (!body && attachmentIds.length === 0) || tooLong || sendBlocked} aria-busy={sending}>
              <SendIcon />
              Send
            </button>
          </span>
        </div>
      </div>
      <TagHint id="composer-tags" onInsert={insertTagChip} />
    </form>
  );
}
