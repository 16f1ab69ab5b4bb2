// A message's words, with its http(s) and mailto: addresses as links that open in a new tab. Text
// children only, never HTML: whatever else a message holds stays exactly what was typed.
import { linkify } from '../../shared/linkify';

export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part) =>
        part.href === undefined ? (
          part.text
        ) : (
          <a href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part.text}
          </a>
        ),
      )}
    </>
  );
}
