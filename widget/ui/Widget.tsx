// The whole visible widget: the launcher (with its unread badge) and, when open, the chat panel.
// Stateless apart from focus: the thread lives in ChatConnection, open/closed in the embedder.
import { useEffect } from 'preact/hooks';
import type { ChatConnection } from '../connection';
import { Composer } from './Composer';
import { EmailPrompt } from './EmailPrompt';
import { faceNames, Faces } from './Faces';
import { ChatIcon, CloseIcon } from './icons';
import { MessageList } from './MessageList';

export interface WidgetText {
  title: string;
  subtitle: string;
  greeting: string;
}

interface Props {
  connection: ChatConnection;
  open: boolean;
  setOpen: (open: boolean) => void;
  text: WidgetText;
}

export function Widget({ connection, open, setOpen, text }: Props) {
  const messages = connection.messages;
  const unread = open ? 0 : connection.unreadCount;

  // An open panel says whether anyone is online, so it needs the socket even before the visitor writes.
  useEffect(() => {
    if (open) connection.listen();
  }, [open]);

  // Whatever is on screen while the panel is open counts as seen.
  useEffect(() => {
    if (open) connection.markSeen();
  }, [open, messages.length]);

  return (
    <div class="root">
      {open && (
        <section
          class="panel"
          role="dialog"
          aria-label={text.title}
          // A file dropped anywhere on the panel is sent, as from the paperclip.
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            for (const file of e.dataTransfer?.files ?? []) connection.attach(file);
          }}
        >
          <header class="header">
            <Faces team={connection.team} />
            <div class="heading">
              <div class="title">{text.title}</div>
              <div class="subtitle">{text.subtitle}</div>
              {connection.team.length > 0 && <div class="names">{faceNames(connection.team)}</div>}
            </div>
            <button type="button" class="close" aria-label="Close chat" onClick={() => setOpen(false)}>
              <CloseIcon />
            </button>
          </header>
          {connection.status === 'offline' ? (
            <div class="notice" role="status">
              Reconnecting… your messages will be sent as soon as you are back online.
            </div>
          ) : (
            // The server asked us to slow down: polite, since nothing is lost and nothing needs doing.
            connection.pausedFor > 0 && (
              <div class="notice" role="status">
                Sending paused for a moment — your message will go out in {connection.pausedFor} s.
              </div>
            )
          )}
          <MessageList
            messages={messages}
            greeting={text.greeting}
            agentTyping={connection.agentTyping}
            onRetry={(key) => connection.retry(key)}
            fetchFile={(url) => connection.fetchFile(url)}
          />
          <EmailPrompt connection={connection} messages={messages} />
          <Composer
            onSend={(body) => connection.send(body)}
            onDraft={(draft) => connection.typing(draft)}
            onFiles={(files) => files.forEach((file) => connection.attach(file))}
            fileError={connection.uploadError}
            autoFocus={open}
          />
          <div class="brand">Powered by Parley</div>
        </section>
      )}
      <button
        type="button"
        class="launcher"
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
