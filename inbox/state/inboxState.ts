// Pure updates of what the inbox shows, so every source (first load, "Load more", live frames, the
// refetch after a reconnect, our own replies) merges the same way: newest activity first, no duplicates.
import type { AssignedFilter, ChatMessage, ConversationPage, ConversationSummary, DeliveryState, Note } from '../../shared/protocol';
import type { StatusFilter } from '../api/client';

export interface ListState {
  conversations: ConversationSummary[];
  nextCursor: string | null;
  /** False until the first page arrives, so "no conversations yet" is not shown while loading. */
  loaded: boolean;
}

export const emptyList: ListState = { conversations: [], nextCursor: null, loaded: false };

/** The server's order: last activity descending, then id descending. */
export const byActivity = (a: ConversationSummary, b: ConversationSummary): number =>
  b.lastMessageAt - a.lastMessageAt || b.id - a.id;

/** Of two copies of one summary, the one with the later activity (a stale refetch must not undo a frame). */
const fresher = (a: ConversationSummary, b: ConversationSummary): ConversationSummary =>
  b.lastMessageAt > a.lastMessageAt ? b : a;

/** Puts a summary in its place by activity, replacing any older copy. */
export function upsertSummary(list: ListState, summary: ConversationSummary): ListState {
  const rest = list.conversations.filter((c) => c.id !== summary.id);
  const known = rest.length !== list.conversations.length;
  const last = rest[rest.length - 1];
  // Older than everything loaded while more pages exist: "Load more" will bring it in its place.
  if (!known && list.nextCursor !== null && last && byActivity(summary, last) > 0) return list;
  return { ...list, conversations: [...rest, summary].sort(byActivity) };
}

/** The list's "Assigned to" choice, and which agent "Me" is. */
export interface OwnerFilter {
  assigned: AssignedFilter;
  me: number;
}

const inFilter = (c: ConversationSummary, filter: StatusFilter, owner?: OwnerFilter): boolean =>
  (filter === 'all' || c.status === filter) &&
  (!owner || owner.assigned === 'anyone' || c.assigneeId === (owner.assigned === 'me' ? owner.me : null));

/**
 * A changed summary (live frame or an action's answer) under the list's filters: it joins or moves
 * when it belongs there, and leaves when it no longer does (completed while "Open" is shown, assigned
 * to someone else while "Me" is).
 */
export function applySummary(list: ListState, summary: ConversationSummary, filter: StatusFilter, owner?: OwnerFilter): ListState {
  if (inFilter(summary, filter, owner)) return upsertSummary(list, summary);
  if (!list.conversations.some((c) => c.id === summary.id)) return list;
  return { ...list, conversations: list.conversations.filter((c) => c.id !== summary.id) };
}

export function setPresence(list: ListState, conversationId: number, online: boolean): ListState {
  if (!list.conversations.some((c) => c.id === conversationId && c.online !== online)) return list;
  return {
    ...list,
    conversations: list.conversations.map((c) => (c.id === conversationId ? { ...c, online } : c)),
  };
}

/**
 * A fresh first page (first load, or refetch after a reconnect). Rows of later pages the agent had
 * already loaded stay below it, so a reconnect does not collapse a long scrolled list.
 */
export function mergeFirstPage(list: ListState, page: ConversationPage): ListState {
  const current = new Map(list.conversations.map((c) => [c.id, c]));
  const fresh = page.conversations.map((c) => {
    const mine = current.get(c.id);
    return mine ? { ...fresher(c, mine), online: c.online } : c;
  });
  const boundary = fresh[fresh.length - 1];
  const freshIds = new Set(fresh.map((c) => c.id));
  const tail =
    page.nextCursor === null || !boundary
      ? []
      : list.conversations.filter((c) => !freshIds.has(c.id) && byActivity(c, boundary) > 0);
  return {
    conversations: [...fresh, ...tail].sort(byActivity),
    nextCursor: tail.length > 0 ? list.nextCursor : page.nextCursor,
    loaded: true,
  };
}

/** The next page from "Load more". */
export function appendPage(list: ListState, page: ConversationPage): ListState {
  const ids = new Set(list.conversations.map((c) => c.id));
  return {
    conversations: [...list.conversations, ...page.conversations.filter((c) => !ids.has(c.id))].sort(byActivity),
    nextCursor: page.nextCursor,
    loaded: true,
  };
}

/**
 * Our own reply, as the POST answered it: moves the conversation up at once, even if the live feed
 * is down. The feed's copy of the summary, if it already came, is as new and wins.
 */
export function noteOwnReply(list: ListState, message: ChatMessage): ListState {
  const summary = list.conversations.find((c) => c.id === message.conversationId);
  if (!summary || summary.lastMessageAt > message.createdAt) return list;
  return upsertSummary(list, {
    ...summary,
    lastMessageAt: message.createdAt,
    lastMessagePreview: message.body,
    lastMessageAuthor: 'agent',
  });
}

/**
 * How far an outgoing message has got; a copy that is behind must not replace one that is ahead. A
 * bounce or a spam complaint can come after "delivered", and is the last word.
 */
const DELIVERY_PROGRESS: Record<DeliveryState, number> = {
  queued: 0,
  sent: 1,
  failed: 1,
  delivered: 2,
  read: 3,
  bounced: 4,
  complained: 4,
};
const progress = (m: ChatMessage): number => (m.deliveryState ? DELIVERY_PROGRESS[m.deliveryState] : 0);
const sameDelivery = (a: ChatMessage, b: ChatMessage): boolean =>
  (a.deliveryState ?? null) === (b.deliveryState ?? null) && (a.deliveryError ?? null) === (b.deliveryError ?? null);

/**
 * Union by id, in seq order (the thread's own order: ids may commit out of order): the POST answer,
 * the live feed and a refetch may each carry a message. A known message is replaced only by a copy
 * whose delivery has moved on (a refetch after a gap), never by an older one (the POST's "queued"
 * arriving after the live "sent").
 */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    const mine = byId.get(m.id);
    if (mine && (sameDelivery(mine, m) || progress(m) < progress(mine))) continue;
    byId.set(m.id, m);
    changed = true;
  }
  return changed ? [...byId.values()].sort((a, b) => a.seq - b.seq) : current;
}

/** A `messageUpdated` frame: the message changes in place (the frame is the newest word on it). */
export function replaceMessage(current: ChatMessage[], updated: ChatMessage): ChatMessage[] {
  if (!current.some((m) => m.id === updated.id)) return current;
  return current.map((m) => (m.id === updated.id ? updated : m));
}

/** Notes by id, oldest first: the POST's answer and the live frame each carry a new one. */
export function mergeNotes(current: Note[], incoming: Note[]): Note[] {
  const fresh = incoming.filter((n) => !current.some((c) => c.id === n.id));
  return fresh.length === 0 ? current : [...current, ...fresh].sort((a, b) => a.id - b.id);
}
