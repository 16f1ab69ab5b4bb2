// A bounce that came back through an inbound door: the email of ours it returns is marked Bounced, with
// the reason. It creates no contact, no conversation and no message, and is never answered; a bounce
// that names none of our emails, or only reports a delay, is logged and dropped.
import type { Conversations } from '../../../conversations';
import type { Storage } from '../../../storage';
import { applyDeliveryNews } from '../deliveryNews';
import type { AutomaticMail } from './automaticMail';

export interface BounceOutcome {
  setAside: 'bounce';
  /** The outbox email it returned, when one of ours. */
  outboxId: number | null;
  conversationId: number | null;
}

export async function recordBounce(
  storage: Storage,
  conversations: Conversations,
  bounce: Extract<AutomaticMail, { kind: 'bounce' }>,
  describe: string,
): Promise<BounceOutcome> {
  const row = await storage.email.outboxByMessageIds(bounce.returnedMessageIds);
  if (!row) {
    console.warn(`[parley] ${describe}: a bounce naming none of our emails (${bounce.reason}); dropped`);
    return { setAside: 'bounce', outboxId: null, conversationId: null };
  }
  if (!bounce.failed) {
    console.log(`[parley] ${describe}: email ${row.id} to ${row.toAddress} is delayed, not yet bounced; nothing changes`);
  } else {
    console.log(`[parley] ${describe}: email ${row.id} to ${row.toAddress} bounced: ${bounce.reason}`);
    await applyDeliveryNews(storage, conversations, row, { state: 'bounced', reason: bounce.reason });
  }
  return { setAside: 'bounce', outboxId: row.id, conversationId: row.conversationId };
}
