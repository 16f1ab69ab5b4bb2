// The whole visible widget: the launcher (with its unread badge), the live region that reads replies
// out while it is closed, and, when open, the chat panel. Stateless apart from focus: the thread lives in ChatConnection,
// open/closed in the embedder.
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatConnection } from '../connection';
import { ChatIcon, CloseIcon } from './icons';
import { Panel, type WidgetText } from './Panel';
import { ReplyAnnouncer } from './ReplyAnnouncer';

interface Props {
  connection: ChatConnection;
  open: boolean;
  setOpen: (open: boolean) => void;
  text: WidgetText;
}

/** Focus fell to the page's <body>: the element that held it (in the panel) is gone. */
const focusDropped = () => !document.activeElement || document.activeElement === document.body;

export function Widget({ connection, open, setOpen, text }: Props) {
  const messages = connection.messages;
  const unread = open ? 0 : connection.unreadCount;
  const launcher = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);

  // An open panel says whether anyone is online, so it needs the socket even before the visitor writes.
  useEffect(() => {
    if (open) connection.listen();
  }, [open]);

  // Whatever is on screen while the panel is open counts as seen.
  useEffect(() => {
    if (open) connection.markSeen();
  }, [open, messages.length]);

  // However the panel closed (its button, Escape, the launcher, or Parley('close')), focus that was in
  // it goes back to the launcher; focus the visitor had put elsewhere on the page stays there.
  useLayoutEffect(() => {
    if (wasOpen.current && !open && focusDropped()) launcher.current?.focus();
    wasOpen.current = open;
  }, [open]);

  return (
    <div class="root">
      <ReplyAnnouncer connection={connection} open={open} />
      {open && <Panel connection={connection} text={text} onClose={() => setOpen(false)} />}
      <button
        type="button"
        class="launcher"
        ref={launcher}
        aria-label={open ? 'Hide chat' : 'Open chat'}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? <CloseIcon /> : <ChatIcon />}
      </button>
      {unread > 0 && (
        <span class="badge" role="status" aria-label={`${unread} unread ${unread === 1 ? 'reply' : 'replies'}`}>
          {unread}
        </span>
      )}
    </div>
  );
}
