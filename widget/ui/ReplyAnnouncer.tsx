// Reads each new agent reply out to screen readers while the panel is closed, from a polite live
// region that is on the page before any reply arrives (a region added together with its text is often
// not read). While the panel is open its log is the live region, and this one stays empty, so no reply
// is read twice or found twice on the page. The history a page load brings is not read out: the
// launcher's unread count tells of it.
import { Component } from 'preact';
import type { ChatConnection, ThreadMessage } from '../connection';

const isStoredReply = (m: ThreadMessage): m is ThreadMessage & { id: number } => m.author === 'agent' && m.id !== null;

interface Props {
  connection: ChatConnection;
  open: boolean;
}

export class ReplyAnnouncer extends Component<Props, { said: string }> {
  override state = { said: '' };
  /** Ids of the replies already in the thread or read out; null until the first welcome brought the history. */
  #known: Set<number> | null = null;

  override componentDidMount(): void {
    this.componentDidUpdate();
  }

  // After every render: a reply found twice is not new, so this says each one once.
  override componentDidUpdate(): void {
    const { connection, open } = this.props;
    if (open && this.state.said) this.setState({ said: '' });
    if (connection.status !== 'online') return;
    const replies = connection.messages.filter(isStoredReply);
    const seen = this.#known ?? new Set(replies.map((m) => m.id));
    const fresh = this.#known ? replies.filter((m) => !seen.has(m.id)) : [];
    this.#known = seen;
    for (const m of fresh) seen.add(m.id);
    if (fresh.length > 0 && !open) this.setState({ said: fresh.map((m) => `${m.authorName ?? 'Support'} replied: ${m.body}`).join('\n') });
  }

  render({ open }: Props, { said }: { said: string }) {
    return (
      <div class="sr" role="status" aria-live="polite">
        {open ? '' : said}
      </div>
    );
  }
}
