// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationSummary } from '../../shared/protocol';
import { message, summary } from '../testing/testSupport';
import { Thread } from './Thread';

afterEach(cleanup);

function show(conversation: ConversationSummary, messages: ChatMessage[]) {
  render(<Thread conversation={conversation} messages={messages} loading={false} error={null} onRetry={() => {}} onBack={() => {}} />);
  return screen.getByRole('log');
}

describe('a Messenger message that was edited or reacted to', () => {
  const person = summary({ id: 70, kind: 'messenger', title: 'Grace Hopper' });

  it('says it was edited, and when, beside its time', () => {
    const editedAt = Date.UTC(2025, 2, 12, 9, 30);
    const log = show(person, [
      message({ id: 1, conversationId: 70, channel: 'messenger', body: 'I meant order 4471', editedAt }),
      message({ id: 2, conversationId: 70, channel: 'messenger', body: 'Never changed', editedAt: null }),
    ]);
    const [edited, plain] = [...log.querySelectorAll<HTMLElement>('.message')];
    const mark = within(edited!).getByText('Edited');
    expect(mark.textContent).toMatch(/^Edited .*2025/);
    expect(within(plain!).queryByText('Edited')).toBeNull();
  });

  it('shows each reaction under the message, read out as who reacted with what', () => {
    const log = show(person, [
      message({
        id: 3,
        conversationId: 70,
        channel: 'messenger',
        author: 'agent',
        authorName: 'Ada',
        body: 'Your parcel left today.',
        reactions: [
          { emoji: '❤️', author: 'visitor' },
          { emoji: '👍', author: 'agent' },
        ],
      }),
    ]);
    const list = within(log).getByRole('list', { name: 'Reactions' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.visually-hidden')?.textContent)).toEqual([
      'Reacted with ❤️ by Grace Hopper',
      'Reacted with 👍 by your team',
    ]);
    // The emoji itself is shown once, hidden from screen readers that already heard the sentence.
    expect(items[0]!.querySelector('[aria-hidden="true"]')?.textContent).toBe('❤️');
  });

  it('shows no reaction list once the last reaction is taken back', () => {
    const log = show(person, [message({ id: 4, conversationId: 70, channel: 'messenger', body: 'Thanks!', reactions: [] })]);
    expect(within(log).queryByRole('list', { name: 'Reactions' })).toBeNull();
  });

  it('keeps a hostile emoji as text, never markup', () => {
    const log = show(person, [
      message({ id: 5, conversationId: 70, channel: 'messenger', body: 'hi', reactions: [{ emoji: '<img src=x onerror=alert(1)>', author: 'visitor' }] }),
    ]);
    expect(log.querySelector('img')).toBeNull();
    expect(within(log).getByText('Reacted with <img src=x onerror=alert(1)> by Grace Hopper')).toBeTruthy();
  });
});
