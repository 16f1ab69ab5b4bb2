// What a Messenger message carried besides text: images as small thumbnails, anything else as a link by
// name. Only http(s) addresses become links or images, always in a new tab that gets neither our page
// (noopener) nor our address (noreferrer); anything else is shown as text.
import type { Attachment } from '../../shared/protocol';
import { AttachmentIcon } from './icons';
import { safeHref } from './safeHref';

function Item({ a }: { a: Attachment }) {
  const href = safeHref(a.url);
  const name = a.name ?? (a.type === 'image' ? 'Image' : 'Attachment');
  if (!href) return <span class="attachment-file">{name}</span>;
  if (a.type === 'image') {
    return (
      <a class="attachment-image" href={href} target="_blank" rel="noopener noreferrer">
        <img src={href} alt={name} loading="lazy" referrerpolicy="no-referrer" />
      </a>
    );
  }
  return (
    <a class="attachment-file" href={href} target="_blank" rel="noopener noreferrer">
      <AttachmentIcon />
      {name}
    </a>
  );
}

export function MessageAttachments({ attachments }: { attachments: Attachment[] }) {
  return (
    <ul class="attachments" aria-label="Attachments">
      {attachments.map((a, i) => (
        <li key={i}>
          <Item a={a} />
        </li>
      ))}
    </ul>
  );
}
