import { describe, expect, it } from 'vitest';
import { MAX_REACTIONS, reactionEmoji, withReaction } from './reactions';

const react = (emoji: string) => ({ mid: 'm_1', action: 'react' as const, emoji });

describe('reactions on a message', () => {
  it('adds the person’s reaction, and replaces it when they pick another', () => {
    const first = withReaction([], react('❤️'), 'visitor');
    expect(first).toEqual([{ emoji: '❤️', author: 'visitor' }]);
    expect(withReaction(first, react('😮'), 'visitor')).toEqual([{ emoji: '😮', author: 'visitor' }]);
  });

  it('keeps our page’s reaction apart from the person’s, and removes only theirs on unreact', () => {
    const both = withReaction(withReaction([], react('👍'), 'agent'), react('❤️'), 'visitor');
    expect(both).toHaveLength(2);
    expect(withReaction(both, { mid: 'm_1', action: 'unreact' }, 'visitor')).toEqual([{ emoji: '👍', author: 'agent' }]);
  });

  it('shows the emoji a reaction’s name stands for when Meta sends no emoji', () => {
    expect(reactionEmoji({ reaction: 'like' })).toBe('👍');
    expect(reactionEmoji({ reaction: 'constructor' })).toBe('❔');
  });

  it('bounds what is stored: one line, a short emoji, a few reactions', () => {
    expect(reactionEmoji({ emoji: `😀\n${'😀'.repeat(100)}` }).length).toBeLessThanOrEqual(32);
    expect(reactionEmoji({ emoji: '\u0000\u0007' })).toBe('❔');
    const many = Array.from({ length: 20 }, (_, i) => ({ emoji: String(i), author: 'agent' as const }));
    expect(withReaction(many, react('❤️'), 'visitor')).toHaveLength(MAX_REACTIONS);
  });
});
