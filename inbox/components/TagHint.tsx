// The line under a reply or saved-response body that lists the personalization tags Parley fills in.
import { TAG_NAMES } from '../../shared/tags';

/** The first tag is shown with a fallback, so the syntax for one is in plain sight. */
const EXAMPLES = TAG_NAMES.map((name, i) => (i === 0 ? `{{${name} | there}}` : `{{${name}}}`));

export function TagHint({ id }: { id?: string }) {
  return (
    <p class="tag-hint" id={id}>
      Tags:{' '}
      {EXAMPLES.map((tag) => (
        <code key={tag}>{tag}</code>
      ))}
    </p>
  );
}
