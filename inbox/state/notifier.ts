// Which live news deserves a desktop notification and a sound, for one agent: pure rules, no browser.
// Never an alert for the agent's own words, an agent's reply, an automatic message, or a conversation
// some tab of theirs shows on screen; "Nothing" silences everything, mentions included.
import type { AgentPreferences, AgentServerFrame, ConversationSummary } from '../../shared/protocol';

/** What one notification says; `tag` is per conversation, so a newer one replaces its predecessor. */
export interface Alert {
  tag: string;
  title: string;
  body: string;
  conversationId: number;
}

export interface NotifyContext {
  me: number;
  notifyAbout: AgentPreferences['notifyAbout'];
  /** Conversations open in a tab of this agent's that is visible and focused: they need no alert. */
  watching: ReadonlySet<number>;
}

/** Long enough to recognise the message, short enough for every system's notification. */
export const ALERT_BODY_CHARS = 120;
export const ALERT_TITLE_CHARS = 80;

const bounded = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** The first line that says something, shortened; a message of attachments alone says so. */
export function firstLine(text: string, fallback: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return bounded(line || fallback, ALERT_BODY_CHARS);
}

/** "Mine" means assigned to me, or to nobody yet (somebody has to pick it up). */
const inScope = (conversation: ConversationSummary, context: NotifyContext): boolean =>
  context.notifyAbout === 'all' || conversation.assigneeId === null || conversation.assigneeId === context.me;

/** The alert this frame deserves, or null. */
export function alertFor(frame: AgentServerFrame, context: NotifyContext): Alert | null {
  if (context.notifyAbout === 'nothing') return null;
  switch (frame.type) {
    case 'message': {
      const { message, conversation } = frame;
      if (message.author !== 'visitor' || message.automatic) return null;
      if (context.watching.has(message.conversationId) || !inScope(conversation, context)) return null;
      return {
        tag: `conversation:${message.conversationId}`,
        title: bounded(conversation.title, ALERT_TITLE_CHARS),
        body: firstLine(message.body, message.attachments?.length ? 'Sent an attachment' : 'New message'),
        conversationId: message.conversationId,
      };
    }
    case 'note': {
      const { note } = frame;
      if (note.agentId === context.me || !note.mentions.includes(context.me)) return null;
      if (context.watching.has(note.conversationId)) return null;
      return {
        tag: `conversation:${note.conversationId}`,
        title: bounded(`${note.agentName} mentioned you`, ALERT_TITLE_CHARS),
        body: firstLine(note.body, 'Private note'),
        conversationId: note.conversationId,
      };
    }
    default:
      return null;
  }
}
