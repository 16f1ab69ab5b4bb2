// Checks personalization tags before a reply is sent or a saved response stored: an unknown tag is
// refused here, in the server's words, instead of after a round trip (or never, for saved text).
import { TAG_NAMES, unknownTags } from '../../shared/tags';

const braces = (name: string): string => `{{${name}}}`;

/** The problem with the tags in `text`, or null when every tag is one Parley knows. */
export function unknownTagError(text: string): string | null {
  const unknown = [...new Set(unknownTags(text))];
  if (unknown.length === 0) return null;
  return `Unknown tag ${unknown.map(braces).join(', ')}. Known tags: ${TAG_NAMES.map(braces).join(', ')}`;
}
