// Where the visitor types: Enter sends, Shift+Enter adds a line; the length limit is shown as it nears.
// Files come in by the paperclip or by pasting; a refused one is explained in words under the box.
// Opening the panel puts the cursor here.
import { Component, createRef } from 'preact';
import { MAX_MESSAGE_LENGTH } from '../../shared/limits';
import type { LauncherLink } from '../panelLink';

const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;

interface Props {
  onSend: (body: string) => void;
  onDraft: (draft: string) => void;
  onFiles: (files: File[]) => void;
  /** Why the last file was refused, or null. */
  fileError: string | null;
  icon: LauncherLink['icon'];
}

interface State {
  text: string;
}

export class Composer extends Component<Props, State> {
  override state = { text: '' };
  #box = createRef<HTMLTextAreaElement>();
  #picker = createRef<HTMLInputElement>();

  override componentDidMount(): void {
    this.#box.current?.focus();
    this.#fit();
  }

  override componentDidUpdate(_: Props, before: State): void {
    if (before.text !== this.state.text) this.#fit();
  }

  /** Grow with the text up to the CSS max-height, then scroll. */
  #fit(): void {
    const el = this.#box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }

  render({ onSend, onDraft, onFiles, fileError, icon }: Props, { text }: State) {
    const body = text.trim();
    const tooLong = body.length > MAX_MESSAGE_LENGTH;
    const submit = () => {
      if (!body || tooLong) return;
      onSend(body);
      this.setState({ text: '' });
      onDraft('');
      // Sent with the Send button, which the emptied box disables: focus stays in the panel, ready for more.
      this.#box.current?.focus();
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
          <button
            type="button"
            class="attach"
            aria-label="Attach a file"
            onClick={() => this.#picker.current?.click()}
            dangerouslySetInnerHTML={{ __html: icon('attach') }}
          />
          <input
            ref={this.#picker}
            type="file"
            multiple
            hidden
            onChange={(e) => {
              onFiles([...(e.currentTarget.files ?? [])]);
              e.currentTarget.value = '';
            }}
          />
          <textarea
            ref={this.#box}
            rows={1}
            aria-label="Type your message"
            placeholder="Type your message…"
            value={text}
            onInput={(e) => {
              this.setState({ text: e.currentTarget.value });
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
          {/* The icon is markup lent by the launcher, so the word goes in with it. */}
          <button type="submit" class="send" disabled={!body || tooLong} dangerouslySetInnerHTML={{ __html: `${icon('send')}Send` }} />
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
}
