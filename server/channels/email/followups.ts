// Unseen chat replies follow the visitor by email. An agent's chat reply to a visitor with a known
// email starts (or restarts: debounced per conversation) a timer kept in the conversation row, so a
// restart keeps it; the visitor seeing the reply in the widget cancels it. When it comes due, the
// replies they have not seen are emailed once, with the thread.
import type { Storage } from '../../storage';
import { queueConversationEmail, type EmailSettings } from './outgoing';

export const hasUnseenReplies = async (storage: Storage, conversationId: number): Promise<boolean> =>
  (await storage.email.unseenReplies(conversationId)).length > 0;

/** The visitor saw up to `messageId`: nothing left unseen means no email. */
export async function cancelFollowupIfSeen(storage: Storage, conversationId: number): Promise<void> {
  if (!(await hasUnseenReplies(storage, conversationId))) await storage.email.clearFollowup(conversationId);
}

/** Queues the follow-ups that came due; returns how many emails were queued. */
export async function queueDueFollowups(storage: Storage, settings: EmailSettings): Promise<number> {
  const now = settings.now();
  let queued = 0;
  for (const id of await storage.email.dueFollowups(now)) {
    await storage.transaction(async (tx) => {
      // Every process runs this pass: only the one that takes the timer queues the email.
      if (!(await tx.email.takeDueFollowup(id, now))) return;
      const unseen = await tx.email.unseenReplies(id);
      const last = unseen[unseen.length - 1];
      if (!last) return;
      const intro =
        unseen.length === 1 ? "You have a reply you haven't seen yet:" : `You have ${unseen.length} replies you haven't seen yet:`;
      const result = await queueConversationEmail(tx, settings, {
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
