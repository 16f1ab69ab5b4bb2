import { describe, expect, it } from 'vitest';
import {
  appendPage,
  emptyList,
  applySummary,
  mergeFirstPage,
  mergeMessages,
  mergeNotes,
  noteOwnReply,
  replaceMessage,
  setPresence,
  upsertSummary,
} from './inboxState';
import { message, summary } from '../testing/testSupport';

const ids = (list: { conversations: { id: number }[] }) => list.conversations.map((c) => c.id);

describe('the conversation list state', () => {
  it('moves a conversation with a new message to the top', () => {
    const list = mergeFirstPage(emptyList, {
      conversations: [summary({ id: 1, lastMessageAt: 300 }), summary({ id: 2, lastMessageAt: 200 })],
      nextCursor: null,
      unreadConversations: 0,
    });
    expect(ids(upsertSummary(list, summary({ id: 2, lastMessageAt: 400 })))).toEqual([2, 1]);
  });

  it('adds a brand-new conversation at the top', () => {
    const list = mergeFirstPage(emptyList, { conversations: [summary({ id: 1, lastMessageAt: 300 })], nextCursor: null, unreadConversations: 0 });
    expect(ids(upsertSummary(list, summary({ id: 9, lastMessageAt: 500 })))).toEqual([9, 1]);
  });

  it('leaves a change to an unloaded old conversation for "Load more" to bring', () => {
    const list = mergeFirstPage(emptyList, { conversations: [summary({ id: 5, lastMessageAt: 300 })], nextCursor: '300_5', unreadConversations: 0 });
    expect(ids(upsertSummary(list, summary({ id: 1, lastMessageAt: 100 })))).toEqual([5]);
  });

  it('appends the next page without duplicating rows that moved meanwhile', () => {
    const list = mergeFirstPage(emptyList, {
      conversations: [summary({ id: 3, lastMessageAt: 300 }), summary({ id: 2, lastMessageAt: 200 })],
      nextCursor: '200_2',
      unreadConversations: 0,
    });
    const next = appendPage(list, { conversations: [summary({ id: 3, lastMessageAt: 300 }), summary({ id: 1, lastMessageAt: 100 })], nextCursor: null, unreadConversations: 0 });
    expect(ids(next)).toEqual([3, 2, 1]);
    expect(next.nextCursor).toBeNull();
  });

  it('keeps rows from later pages when a reconnect refetches the first page', () => {
    const list = appendPage(
      mergeFirstPage(emptyList, { conversations: [summary({ id: 3, lastMessageAt: 300 })], nextCursor: '300_3', unreadConversations: 0 }),
      { conversations: [summary({ id: 1, lastMessageAt: 100 })], nextCursor: '100_1', unreadConversations: 0 },
    );
    const refreshed = mergeFirstPage(list, {
      conversations: [summary({ id: 4, lastMessageAt: 400 }), summary({ id: 3, lastMessageAt: 300 })],
      nextCursor: '300_3',
      unreadConversations: 0,
    });
    expect(ids(refreshed)).toEqual([4, 3, 1]);
    expect(refreshed.nextCursor).toBe('100_1');
  });

  it('does not let a refetch that started before a live message undo it', () => {
    const list = upsertSummary(
      mergeFirstPage(emptyList, { conversations: [summary({ id: 1, lastMessageAt: 100 })], nextCursor: null, unreadConversations: 0 }),
      summary({ id: 1, lastMessageAt: 500, lastMessagePreview: 'newer' }),
    );
    const refreshed = mergeFirstPage(list, { conversations: [summary({ id: 1, lastMessageAt: 100, lastMessagePreview: 'older' })], nextCursor: null, unreadConversations: 0 });
    expect(refreshed.conversations[0]?.lastMessagePreview).toBe('newer');
  });

  it('keeps the list to its filter as conversations are completed and reopened', () => {
    const list = mergeFirstPage(emptyList, {
      conversations: [summary({ id: 1, lastMessageAt: 200 }), summary({ id: 2, lastMessageAt: 100 })],
      nextCursor: null,
      unreadConversations: 0,
    });
    const completed = applySummary(list, summary({ id: 2, lastMessageAt: 100, status: 'complete' }), 'open');
    expect(ids(completed)).toEqual([1]);
    expect(ids(applySummary(completed, summary({ id: 2, lastMessageAt: 100, status: 'open' }), 'open'))).toEqual([1, 2]);
    expect(applySummary(completed, summary({ id: 7, status: 'complete' }), 'open')).toBe(completed);
    expect(ids(applySummary(list, summary({ id: 2, lastMessageAt: 100, status: 'complete' }), 'all'))).toEqual([1, 2]);
  });

  it('keeps the list to its owner filter as conversations are assigned', () => {
    const list = mergeFirstPage(emptyList, {
      conversations: [summary({ id: 1, lastMessageAt: 200, assigneeId: 5 }), summary({ id: 2, lastMessageAt: 100, assigneeId: 5 })],
      nextCursor: null,
      unreadConversations: 0,
    });
    const mine = { assigned: 'me' as const, me: 5 };
    const givenAway = applySummary(list, summary({ id: 2, lastMessageAt: 100, assigneeId: 6 }), 'open', mine);
    expect(ids(givenAway)).toEqual([1]);
    expect(ids(applySummary(givenAway, summary({ id: 3, lastMessageAt: 300, assigneeId: 5 }), 'open', mine))).toEqual([3, 1]);
    // A conversation of mine that is complete stays out of "Open", whoever owns it.
    expect(ids(applySummary(givenAway, summary({ id: 4, assigneeId: 5, status: 'complete' }), 'open', mine))).toEqual([1]);
    const nobodys = { assigned: 'unassigned' as const, me: 5 };
    expect(ids(applySummary(emptyList, summary({ id: 9, assigneeId: null }), 'all', nobodys))).toEqual([9]);
    expect(applySummary(emptyList, summary({ id: 9, assigneeId: 5 }), 'all', nobodys)).toBe(emptyList);
  });

  it('adds each note once, oldest first, whether the POST or the live frame brings it first', () => {
    const note = (id: number) => ({ id, conversationId: 1, agentId: 1, agentName: 'Ada', body: `note ${id}`, mentions: [], createdAt: id });
    const notes = mergeNotes([note(1)], [note(3), note(2)]);
    expect(notes.map((n) => n.id)).toEqual([1, 2, 3]);
    expect(mergeNotes(notes, [note(2)])).toBe(notes);
  });

  it('turns presence on and off for one conversation only', () => {
    const list = mergeFirstPage(emptyList, {
      conversations: [summary({ id: 1, lastMessageAt: 200 }), summary({ id: 2, lastMessageAt: 100 })],
      nextCursor: null,
      unreadConversations: 0,
    });
    const online = setPresence(list, 2, true);
    expect(online.conversations.map((c) => [c.id, c.online])).toEqual([[1, false], [2, true]]);
    expect(setPresence(online, 2, true)).toBe(online);
  });

  it('shows our own reply as the last message at once', () => {
    const list = mergeFirstPage(emptyList, {
      conversations: [summary({ id: 1, lastMessageAt: 300 }), summary({ id: 2, lastMessageAt: 200 })],
      nextCursor: null,
      unreadConversations: 0,
    });
    const after = noteOwnReply(list, message({ conversationId: 2, author: 'agent', body: 'On it', createdAt: 400 }));
    expect(ids(after)).toEqual([2, 1]);
    expect(after.conversations[0]).toMatchObject({ lastMessagePreview: 'On it', lastMessageAuthor: 'agent' });
  });
});

describe('the thread state', () => {
  it('shows a message once, whether it came from the POST answer, the live feed or a refetch', () => {
    const first = message({ id: 10, conversationId: 1 });
    const reply = message({ id: 11, conversationId: 1, author: 'agent' });
    const once = mergeMessages([first], [reply]);
    expect(mergeMessages(once, [reply])).toBe(once);
    expect(mergeMessages(once, [first, reply]).map((m) => m.id)).toEqual([10, 11]);
  });

  it('keeps messages oldest first', () => {
    const later = message({ id: 12, conversationId: 1 });
    const earlier = message({ id: 7, conversationId: 1 });
    expect(mergeMessages([later], [earlier]).map((m) => m.id)).toEqual([7, 12]);
  });

  it('takes a later delivery state from a refetch, but never goes back to an earlier one', () => {
    const queued = message({ id: 20, conversationId: 1, author: 'agent', channel: 'email', deliveryState: 'queued' });
    const sent = { ...queued, deliveryState: 'sent' as const };
    const thread = mergeMessages([queued], [sent]);
    expect(thread[0]?.deliveryState).toBe('sent');
    expect(mergeMessages(thread, [queued])).toBe(thread); // the POST answer, late
    expect(mergeMessages(thread, [{ ...sent }])).toBe(thread);
    const failed = { ...queued, deliveryState: 'failed' as const, deliveryError: 'Mailbox full' };
    expect(mergeMessages([queued], [failed])[0]?.deliveryError).toBe('Mailbox full');
  });

  it('replaces an updated message in place, and ignores one it does not show', () => {
    const a = message({ id: 30, conversationId: 1 });
    const b = message({ id: 31, conversationId: 1, author: 'agent', channel: 'messenger', deliveryState: 'sent' });
    const read = { ...b, deliveryState: 'read' as const };
    expect(replaceMessage([a, b], read)).toEqual([a, read]);
    const shown = [a];
    expect(replaceMessage(shown, read)).toBe(shown);
  });
});
