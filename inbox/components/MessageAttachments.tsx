// The files a message carried: name, size and type on each; images as thumbnails (the image itself,
// sized by CSS, loaded lazily); a forwarded email with its subject and text; a file that was not kept
// with the reason. Our copies are same-origin downloads; another service's address (a Messenger file
// not yet copied) must be http(s) and opens in a new tab without our page or address.
import type { Attachment } from '../../shared/protocol';
import { AttachmentIcon } from './icons';
import { safeHref } from './safeHref';

const OUR_COPY = /^\/api\/attachments\/\d+$/;

const TYPE_LABELS: Record<string, string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF',
  'message/rfc822': 'Email',
  'text/plain': 'Text',
  'application/zip': 'ZIP archive',
};

/** "84 KB", "1.2 MB": what the agent reads beside a name. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const typeLabel = (a: Attachment) => (a.mimeType ? (TYPE_LABELS[a.mimeType] ?? a.mimeType) : null);

function defaultName(a: Attachment): string {
  if (a.type === 'image') return 'Image';
  if (a.type === 'message') return 'Forwarded email';
  return 'Attachment';
}

/** Size and type, as far as they are known: "84 KB · PDF". */
function details(a: Attachment): string {
  return [a.size !== undefined ? fileSize(a.size) : null, typeLabel(a)].filter(Boolean).join(' · ');
}

function Item({ a }: { a: Attachment }) {
  const name = a.name ?? defaultName(a);
  const about = details(a);
  if (a.notKept) {
    return (
      <span class="attachment-file attachment-missing">
        <AttachmentIcon />
        <span>
          {name}
          <span class="attachment-meta">Not kept: {a.notKept}</span>
        </span>
      </span>
    );
  }
  const ours = OUR_COPY.test(a.url);
  const href = ours ? a.url : safeHref(a.url);
  if (!href) return <span class="attachment-file">{name}</span>;
  const label = about ? `${name}, ${about}` : name;
  // Another service's address opens in a new tab that learns nothing about us; our copies download.
  const away = ours ? {} : { target: '_blank', rel: 'noopener noreferrer' };
  if (a.type === 'image') {
    return (
      <a class="attachment-image" href={href} target="_blank" rel="noopener noreferrer" aria-label={`Open ${label}`}>
        <img src={href} alt={name} loading="lazy" referrerpolicy="no-referrer" />
      </a>
    );
  }
  const link = (
    <a class="attachment-file" href={href} {...away} aria-label={`Download ${label}`}>
      <AttachmentIcon />
      <span>
        {name}
        {about && <span class="attachment-meta">{about}</span>}
      </span>
    </a>
  );
  if (a.type !== 'message' || !a.text) return link;
  return (
    <div class="attachment-forwarded">
      {link}
      <details>
        <summary>Show the forwarded email’s text</summary>
        <p class="attachment-text">{a.text}</p>
      </details>
    </div>
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
