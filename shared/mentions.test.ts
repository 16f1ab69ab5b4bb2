import { describe, expect, it } from 'vitest';
import { mentionedAgents } from './mentions';

const team = [
  { id: 1, name: 'Ada Lovelace' },
  { id: 2, name: 'Grace Hopper' },
  { id: 3, name: 'Ada Byron' },
  { id: 4, name: 'Zoë' },
];

describe('mentions in a note', () => {
  it('finds an agent by full name, case-insensitively', () => {
    expect(mentionedAgents('@grace hopper can you look?', team)).toEqual([2]);
  });

  it('finds an agent by first name', () => {
    expect(mentionedAgents('Over to you @Grace.', team)).toEqual([2]);
  });

  it('lets the longest name win where first names are shared', () => {
    expect(mentionedAgents('@Ada Byron knows this one', team)).toEqual([3]);
  });

  it('tells everyone called by a shared first name when that is all that was typed', () => {
    expect(mentionedAgents('@ada please', team)).toEqual([1, 3]);
  });

  it('mentions each agent once, in the order they were named', () => {
    expect(mentionedAgents('@Grace and @Zoë, then @grace again', team)).toEqual([2, 4]);
  });

  it('ignores email addresses and longer words that start with a name', () => {
    expect(mentionedAgents('write to grace@example.com, ask @Adam or @Gracey', team)).toEqual([]);
  });

  it('finds nobody in a note without mentions', () => {
    expect(mentionedAgents('The customer wants a refund @ 10%', team)).toEqual([]);
  });
});
