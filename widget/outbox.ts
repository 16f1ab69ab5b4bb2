// Keeps the visitor's unsent messages in the host page's localStorage, so a reload or a closed tab
// while offline does not lose what they typed. Written only once there is something to keep.
import type { OutboxStore } from './connection';

const KEY = 'parley_outbox';

export const localOutbox: OutboxStore = {
  load() {
    try {
      const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter((m) => typeof m?.clientId === 'string' && typeof m?.body === 'string' && typeof m?.createdAt === 'number')
        : [];
    } catch {
      return []; // storage disabled or corrupt: behave as if empty
    }
  },
  save(messages) {
    try {
      if (messages.length) localStorage.setItem(KEY, JSON.stringify(messages));
      else localStorage.removeItem(KEY);
    } catch {
      // Private mode or full storage: messages still live in memory for this page.
    }
  },
};
