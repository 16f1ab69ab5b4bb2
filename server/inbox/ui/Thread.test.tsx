// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationSummary } from '../../../shared/protocol';
import { Thread } from './Thread';
import { message, summary } from './testSupport';

afterEach(cleanup);

function show(conversation: ConversationSummary, messages: ChatMessage[]) {
  render(
    <Thread conversation={conversation} messages={messages} loading={false} error={null} onRetry={() => {}} onBack={() => {}} />,
  );
  return screen.getByRole('log');
}

describe('the open conversation', () => {
  it('heads the thread with the contact, their email and whether they are online', () => {
    show(summary({ title: 'Ada Lovelace', email: 'ada@example.com', online: true }), []);
    expect(screen.getByRole('heading', { name: 'Ada Lovelace' })).toBeTruthy();
    expect(screen.getByText('ada@example.com')).toBeTruthy();
    expect(screen.getByText('Online')).toBeTruthy();
    cleanup();
    show(summary({ title: 'Visitor #4', online: false }), []);
    expect(screen.getByText('Offline')).toBeTruthy();
  });

  it('shows messages oldest first, visitor left and agent right, each with author, time and channel', () => {
    const c = summary({ id: 40, title: 'Visitor #3' });
    const log = show(c, [
      message({ id: 1, conversationId: 40, body: 'Is anyone there?' }),
      message({ id: 2, conversationId: 40, author: 'agent', authorName: 'Grace', body: 'Hi! How can I help?' }),
    ]);
    const shown = [...log.querySelectorAll('.message')];
    expect(shown.map((m) => m.querySelector('.bubble')?.textContent)).toEqual(['Is anyone there?', 'Hi! How can I help?']);
    expect(shown[0]?.classList).toContain('visitor');
    expect(shown[1]?.classList).toContain('agent');
    expect(within(shown[0] as HTMLElement).getByText('Visitor #3')).toBeTruthy();
    expect(within(shown[1] as HTMLElement).getByText('Grace')).toBeTruthy();
    for (const m of shown) {
      expect(m.querySelector('.channel-label')?.textContent).toBe('Web Chat');
      expect(m.querySelector('time')?.textContent).toMatch(/\d/);
    }
  });

  it('shows HTML in a message as the literal text the visitor typed', () => {
    const log = show(summary({ id: 41 }), [message({ conversationId: 41, body: '<img src=x onerror=alert(1)>' })]);
    expect(log.querySelector('img')).toBeNull();
    expect(within(log).getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
  });

  it('keeps line breaks the visitor typed', () => {
    const log = show(summary({ id: 42 }), [message({ conversationId: 42, body: 'line one\nline two' })]);
    expect(log.querySelector('.bubble')?.textContent).toBe('line one\nline two');
  });
});
