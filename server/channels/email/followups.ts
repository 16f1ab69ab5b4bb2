// Unseen chat replies follow the visitor by email. An agent's chat reply to a visitor with a known
// email starts (or restarts: debounced per conversation) a timer kept in the conversation row, so a
// restart keeps it; the visitor seeing the reply in the widget cancels it. When it comes due, the
// replies they have not seen are emailed once, with the thread.
import type { Storage } from '../../storage';
import { queueConversationEmail, type EmailSettings } from './outgoing';

export const hasUnseenReplies = (storage: Storage, conversationId: number): boolean =>
  storage.email.unseenReplies(conversationId).length > 0;

/** The visitor saw up to `messageId`: nothing left unseen means no email. */
export function cancelFollowupIfSeen(storage: Storage, conversationId: number): void {
  if (!hasUnseenReplies(storage, conversationId)) storage.email.clearFollowup(conversationId);
}

/** Queues the follow-ups that came due; returns how many emails were queued. */
export function queueDueFollowups(storage: Storage, settings: EmailSettings): number {
  const now = settings.now();
  let queued = 0;
  for (const id of storage.email.dueFollowups(now)) {
    storage.transaction(() => {
      // Every process runs this pass: only the one that takes the timer queues the email.
      if (!storage.email.takeDueFollowup(id, now)) return;
      const unseen = storage.email.unseenReplies(id);
      const last = unseen[unseen.length - 1];
      if (!last) return;
      const intro =
        unseen.length === 1 ? "You have a reply you haven't seen yet:" : `You have ${unseen.length} replies you haven't seen yet:`;
      const result = queueConversationEmail(storage, settings, {
        conversationId: id,
        kind: 'followup',
        top: unseen,
        intro,
        reportOn: last,
      });
      // Refused (the unverified cap): the replies stay in the chat, where the visitor finds them on return.
      if ('queued' in result) queued++;
      else console.warn(`[parley] follow-up for conversation ${id} not emailed: ${result.refused}`);
    });
  }
  return queued;
}
