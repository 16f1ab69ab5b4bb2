// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationSummary } from '../../shared/protocol';
import { ConversationList } from './ConversationList';
import { FilterTabs } from './FilterTabs';
import { summary } from '../testing/testSupport';

afterEach(cleanup);

const now = Date.now();

function show(
  conversations: ConversationSummary[],
  extra: Partial<Omit<Parameters<typeof ConversationList>[0], 'myAgentId'>> = {},
) {
  const onSelect = vi.fn();
  const onLoadMore = vi.fn();
  render(
    <ConversationList
      conversations={conversations}
      myAgentId={1}
      filter="all"
      loaded
      selectedId={null}
      nextCursor={null}
      loadingMore={false}
      error={null}
      onSelect={onSelect}
      onLoadMore={onLoadMore}
      onRetry={() => {}}
      now={now}
      {...extra}
    />,
  );
  return { onSelect, onLoadMore };
}

const row = (title: string) => {
  const button = screen.getByRole('list', { name: 'Conversations' }).querySelectorAll('button');
  const found = [...button].find((b) => b.textContent?.includes(title));
  if (!found) throw new Error(`no row for ${title}`);
  return found;
};

describe('the conversation list', () => {
  it('shows each conversation with its title, last message and how long ago', () => {
    show([summary({ id: 3, title: 'Visitor #3', lastMessagePreview: 'Do you ship to Norway?', lastMessageAt: now - 5 * 60_000 })]);
    const visitor = row('Visitor #3');
    expect(within(visitor).getByText('Do you ship to Norway?')).toBeTruthy();
    expect(within(visitor).getByText('5m')).toBeTruthy();
  });

  it('says "Unverified" beside a visitor known only by an address they typed', () => {
    show([
      summary({ id: 3, title: 'carol@example.com', email: 'carol@example.com', emailVerified: false }),
      summary({ id: 4, title: 'Sam Quill', email: 'sam@example.org', emailVerified: true }),
    ]);
    expect(within(row('carol@example.com')).getByText('Unverified').getAttribute('title')).toMatch(/has not proved it is theirs/);
    expect(within(row('Sam Quill')).queryByText('Unverified')).toBeNull();
  });

  it('shows a green dot only while the visitor is online', () => {
    show([
      summary({ id: 3, title: 'Visitor #3', online: true }),
      summary({ id: 4, title: 'Visitor #4', online: false }),
    ]);
    expect(within(row('Visitor #3')).getByRole('img', { name: 'Online' }).classList).toContain('presence-dot');
    expect(row('Visitor #4').querySelector('.presence-dot')).toBeNull();
  });

  it('prefixes the preview with who answered last: "You: " for my replies, the name for a colleague\'s', () => {
    const agentReply = { lastMessageAuthor: 'agent' as const, lastMessageAgentName: 'Ada' };
    show([
      summary({ title: 'Mia Wong', lastMessagePreview: 'Sent it just now', ...agentReply, lastMessageAgentId: 1 }),
      summary({ title: 'Lars Berg', lastMessagePreview: 'On its way', ...agentReply, lastMessageAgentId: 2, lastMessageAgentName: 'Grace' }),
      summary({ title: 'Visitor #9', lastMessagePreview: 'Thanks!', lastMessageAuthor: 'visitor' }),
    ]);
    expect(within(row('Mia Wong')).getByText('You: Sent it just now')).toBeTruthy();
    expect(within(row('Lars Berg')).getByText('Grace: On its way')).toBeTruthy();
    expect(within(row('Visitor #9')).getByText('Thanks!')).toBeTruthy();
  });

  it('lists conversations in the order given (newest activity first) and opens one on click', () => {
    const { onSelect } = show([summary({ id: 8, title: 'Newest' }), summary({ id: 2, title: 'Older' })]);
    const titles = screen.getAllByRole('button').map((b) => b.querySelector('.row-title')?.textContent);
    expect(titles.slice(0, 2)).toEqual(['Newest', 'Older']);
    fireEvent.click(row('Older'));
    expect(onSelect).toHaveBeenCalledWith(2);
  });

  it('marks the open conversation as current', () => {
    show([summary({ id: 1, title: 'Visitor #1' }), summary({ id: 2, title: 'Visitor #2' })], { selectedId: 2 });
    expect(row('Visitor #2').getAttribute('aria-current')).toBe('true');
    expect(row('Visitor #1').hasAttribute('aria-current')).toBe(false);
  });

  it('offers "Load more" only while there is another page', () => {
    const { onLoadMore } = show([summary()], { nextCursor: '100_1' });
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(onLoadMore).toHaveBeenCalledOnce();
    cleanup();
    show([summary()], { nextCursor: null });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('hands the focus from "Load more" to the first row it brought once the last page is in', () => {
    const first = summary({ id: 1, title: 'Visitor #1' });
    const props = { conversations: [first], nextCursor: '100_1' as string | null, loadingMore: false };
    const onLoadMore = vi.fn();
    const view = (p: typeof props) => (
      <ConversationList myAgentId={1} filter="all" loaded selectedId={null} error={null} onSelect={() => {}} onLoadMore={onLoadMore} onRetry={() => {}} now={now} {...p} />
    );
    const { rerender } = render(view(props));
    const more = screen.getByRole('button', { name: 'Load more' });
    more.focus();
    fireEvent.click(more);
    rerender(view({ ...props, loadingMore: true }));
    expect(more.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(more);
    rerender(view({ conversations: [first, summary({ id: 2, title: 'Visitor #2' })], nextCursor: null, loadingMore: false }));
    expect(document.activeElement).toBe(row('Visitor #2'));
  });

  it('points to the demo site when there are no conversations yet', () => {
    show([]);
    expect(screen.getByText('No conversations yet. Open the demo site and say hello.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the demo site' }).getAttribute('href')).toBe('/');
  });

  it('does not claim the inbox is empty while the first page is loading', () => {
    show([], { loaded: false });
    expect(screen.queryByText(/No conversations yet/)).toBeNull();
    expect(screen.getByText('Loading conversations…')).toBeTruthy();
  });

  it('shows unread conversations in bold with the number of unread messages', () => {
    show([summary({ id: 1, title: 'Visitor #1', unreadCount: 3 }), summary({ id: 2, title: 'Visitor #2', unreadCount: 0 })]);
    expect(row('Visitor #1').classList).toContain('unread');
    expect(within(row('Visitor #1')).getByRole('img', { name: '3 unread' }).textContent).toBe('3');
    expect(row('Visitor #2').classList).not.toContain('unread');
    expect(within(row('Visitor #2')).queryByLabelText(/unread/)).toBeNull();
  });

  it('puts a checkmark on complete conversations', () => {
    show([summary({ id: 1, title: 'Visitor #1', status: 'complete' }), summary({ id: 2, title: 'Visitor #2' })]);
    expect(within(row('Visitor #1')).getByLabelText('Complete')).toBeTruthy();
    expect(within(row('Visitor #2')).queryByLabelText('Complete')).toBeNull();
  });

  it('says what is missing under each filter, and offers the conversations another status holds', () => {
    const onFilter = vi.fn();
    show([], { filter: 'open', othersExist: true, onFilter });
    expect(screen.getByText('No open conversations.')).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show completed conversations' }));
    expect(onFilter).toHaveBeenCalledWith('complete');
    cleanup();
    show([], { filter: 'complete', othersExist: true, onFilter });
    expect(screen.getByText('No completed conversations yet.')).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByRole('button', { name: 'Show open conversations' })).toBeTruthy();
  });

  it('says hello only when there is no conversation under any status', () => {
    show([], { filter: 'open', othersExist: false });
    expect(screen.getByText('No conversations yet. Open the demo site and say hello.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the demo site' })).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('the status filter', () => {
  it('offers Open, Complete and All as tabs, one selected, arrows moving between them', () => {
    const onChange = vi.fn();
    render(<FilterTabs value="open" onChange={onChange} />);
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => [t.textContent, t.getAttribute('aria-selected')])).toEqual([
      ['Open', 'true'],
      ['Complete', 'false'],
      ['All', 'false'],
    ]);
    fireEvent.click(screen.getByRole('tab', { name: 'Complete' }));
    expect(onChange).toHaveBeenLastCalledWith('complete');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Open' }), { key: 'ArrowLeft' });
    expect(onChange).toHaveBeenLastCalledWith('all');
  });
});
