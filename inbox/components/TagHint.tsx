// The line under a reply or saved-response body that lists the personalization tags Parley fills in;
// each chip is a button that puts its tag where the cursor is in the box above.
import { TAG_NAMES } from '../../shared/tags';

/** The first tag is shown with a fallback, so the syntax for one is in plain sight. */
const EXAMPLES = TAG_NAMES.map((name, i) => (i === 0 ? `{{${name} | there}}` : `{{${name}}}`));

/** `text` with `tag` in place of its selection, and where the caret goes after it. */
export function insertTag(text: string, selection: { start: number; end: number }, tag: string): { text: string; caret: number } {
  return { text: text.slice(0, selection.start) + tag + text.slice(selection.end), caret: selection.start + tag.length };
}

/** Puts `tag` at the selection of `box` (the end when it has none); the caller stores the text and moves the caret. */
export function tagInto(box: HTMLTextAreaElement | null, text: string, tag: string): { text: string; caret: number } {
  const start = box?.selectionStart ?? text.length;
  return insertTag(text, { start, end: box?.selectionEnd ?? start }, tag);
}

export function TagHint({ id, onInsert }: { id?: string; onInsert: (tag: string) => void }) {
  return (
    <p class="tag-hint" id={id}>
      Tags:{' '}
      {EXAMPLES.map((tag) => (
        <button key={tag} type="button" class="tag-chip" title="Insert at the cursor" onClick={() => onInsert(tag)}>
          {tag}
        </button>
      ))}
    </p>
  );
}
