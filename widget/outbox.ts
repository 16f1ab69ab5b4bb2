// Keeps the visitor's unsent messages (and the claim secret that goes with them) in the host page's
// localStorage, so a reload or a closed tab while offline does not lose what they typed. Written
// only once there is something to keep.
import type { OutboxStore } from './connection';

/** The launcher looks for this key too: a page that left messages unsent loads the panel at once. */
export const OUTBOX_KEY = 'parley_outbox';

export const localOutbox: OutboxStore = {
  load() {
    try {
      const parsed = JSON.parse(localStorage.getItem(OUTBOX_KEY) ?? '[]');
      // A plain array is what widgets wrote before the claim existed.
      const messages: unknown = Array.isArray(parsed) ? parsed : parsed?.messages;
      return {
        claim: typeof parsed?.claim === 'string' ? parsed.claim : undefined,
        messages: Array.isArray(messages)
          ? messages.filter((m) => typeof m?.clientId === 'string' && typeof m?.body === 'string' && typeof m?.createdAt === 'number')
          : [],
      };
    } catch {
      return { messages: [] }; // storage disabled or corrupt: behave as if empty
    }
  },
  save(outbox) {
    try {
      if (outbox.messages.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(outbox));
      else localStorage.removeItem(OUTBOX_KEY);
    } catch {
      // Private mode or full storage: messages still live in memory for this page.
    }
  },
};
