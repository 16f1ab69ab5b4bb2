// Text that arrives from another channel (an email, a Messenger message) can be longer than a
// message may be. It is kept, shortened with a visible marker: dropping a customer's words loses more.
import { MAX_MESSAGE_LENGTH } from '../../shared/limits';

/** Cuts at `length` without leaving half of a surrogate pair (an emoji) behind. */
export function cutAt(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/** `text` if it fits in a message, else its start plus `marker`, MAX_MESSAGE_LENGTH in all. */
export function boundedText(text: string, marker: string): string {
  if (text.length <= MAX_MESSAGE_LENGTH) return text;
  return cutAt(text, MAX_MESSAGE_LENGTH - marker.length) + marker;
}
