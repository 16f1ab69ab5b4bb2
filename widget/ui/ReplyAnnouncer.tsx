// Reads each new agent reply out to screen readers while the panel is closed, from a polite live
// region that is on the page before any reply arrives (a region added together with its text is often
// not read). While the panel is open its log is the live region, and this one stays empty, so no reply
// is read twice or found twice on the page. The history a page load brings is not read out: the
// launcher's unread count tells of it.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatConnection, ThreadMessage } from '../connection';

const isStoredReply = (m: ThreadMessage): m is ThreadMessage & { id: number } => m.author === 'agent' && m.id !== null;

export function ReplyAnnouncer({ connection, open }: { connection: ChatConnection; open: boolean }) {
  /** Ids of the replies already in the thread or read out; null until the first welcome brought the history. */
  const known = useRef<Set<number> | null>(null);
  const [said, setSaid] = useState('');
  const { messages, status } = connection;

  useEffect(() => {
    if (status !== 'online') return;
    const replies = messages.filter(isStoredReply);
    const seen = known.current ?? new Set(replies.map((m) => m.id));
    const fresh = known.current ? replies.filter((m) => !seen.has(m.id)) : [];
    known.current = seen;
    for (const m of fresh) seen.add(m.id);
    if (fresh.length > 0 && !open) setSaid(fresh.map((m) => `${m.authorName ?? 'Support'} replied: ${m.body}`).join('\n'));
  }, [messages.length, messages[messages.length - 1]?.key, status, open]);

  useEffect(() => {
    if (open) setSaid('');
  }, [open]);

  return (
    <div class="sr" role="status" aria-live="polite">
      {open ? '' : said}
    </div>
  );
}
