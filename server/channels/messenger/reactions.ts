// What a Messenger reaction does to a message's reactions: one per side (the person, our page), replaced
// by a new one and removed on unreact; the emoji bounded, and a few per message at most. Pure: the
// conversation service stores the result; this never touches storage.
import type { Author, Reaction } from '../../../shared/protocol';
import { cutAt } from '../boundedText';
import type { MessengerReaction } from './webhookPayload';

/** Messenger allows one reaction per person per message; more than this is not a reaction list. */
export const MAX_REACTIONS = 4;
/** The longest emoji sequences (a family, a flag with modifiers) fit in this many UTF-16 units. */
const MAX_EMOJI_LENGTH = 32;

/** Meta's names for reactions, for the events that carry a name but no emoji. */
const EMOJI_OF: Record<string, string> = {
  like: '👍',
  dislike: '👎',
  love: '❤️',
  smile: '😆',
  wow: '😮',
  sad: '😢',
  angry: '😠',
};

/** The emoji to show: Meta's own (one line, bounded), else the one its name stands for, else a neutral mark. */
export function reactionEmoji(reaction: Pick<MessengerReaction, 'emoji' | 'reaction'>): string {
  const emoji = (reaction.emoji ?? '').replace(/[\s\p{Cc}]+/gu, '');
  if (emoji) return cutAt(emoji, Math.min(emoji.length, MAX_EMOJI_LENGTH));
  const name = reaction.reaction ?? '';
  return Object.hasOwn(EMOJI_OF, name) ? EMOJI_OF[name]! : '❔';
}

/** The message's reactions after `change` by `author`: theirs replaced or removed, at most MAX_REACTIONS kept. */
export function withReaction(current: Reaction[], change: MessengerReaction, author: Author): Reaction[] {
  const others = current.filter((r) => r.author !== author);
  const next = change.action === 'react' ? [...others, { emoji: reactionEmoji(change), author }] : others;
  return next.slice(-MAX_REACTIONS);
}
