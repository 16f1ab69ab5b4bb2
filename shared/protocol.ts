// The typed protocol between widget, inbox and server: every frame and API body is declared once here.
// Frames coming *into* the server are zod schemas (parsed at the boundary); frames going out are types.
// The widget must only `import type` from this file, so zod never reaches the visitor's bundle.
import { z } from 'zod';
import {
  MAX_EMAIL_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PAGE_URL_LENGTH,
  MAX_PASSWORD_LENGTH,
  MAX_SAVED_RESPONSE_CATEGORY_LENGTH,
  MAX_SAVED_RESPONSE_TITLE_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './limits';
import { textColorOn } from './widgetLook';

export type Author = 'visitor' | 'agent';
/** How one message travelled. Channels are per message: one conversation can hold all three. */
export type Channel = 'chat' | 'email' | 'messenger';
export const CHANNELS = ['chat', 'email', 'messenger'] as const satisfies readonly Channel[];
/** What the server can deliver at all (a channel without configuration is off; chat always works). */
export interface ChannelSupport {
  email: boolean;
  messenger: boolean;
}
/** Who a conversation is with: a widget visitor, an email sender, or a Messenger sender. */
export type ParticipantKind = 'web' | 'email' | 'messenger';
export type ConversationStatus = 'open' | 'complete';
/** Where an outgoing email or Messenger message stands (null on chat messages). */
export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'bounced' | 'complained';

/**
 * A file a message carried (an email attachment, a forwarded email, a Messenger photo), shown with
 * its name, size and type; images as thumbnails. `url` is our copy (/api/attachments/:id, for
 * signed-in agents) once kept; a Messenger file is the sender's address until our copy is made.
 */
export interface Attachment {
  /** 'image' | 'video' | 'audio' | 'file' | 'message' (a forwarded email) | 'link'. */
  type: string;
  /** '' when the file was not kept (see notKept). */
  url: string;
  name?: string;
  mimeType?: string;
  /** Bytes. */
  size?: number;
  /** Why the file is not kept (over a size cap, the download failed): the entry says it existed. */
  notKept?: string;
  /** A forwarded email's readable text (its subject is the name), shortened. */
  text?: string;
}

/** A stored message, as both the widget and the inbox see it. */
export interface ChatMessage {
  id: number;
  conversationId: number;
  /**
   * Its place in the conversation: 1, 2, 3… in the order they were stored, without gaps. Order, catch-up
   * (`sinceSeq`) and the visitor's seen watermark go by seq; ids are only names (with several writers a
   * higher id can be stored before a lower one).
   */
  seq: number;
  /** Id the sender generated; lets a client match an ack or a history entry to its pending copy. */
  clientId: string | null;
  author: Author;
  /** The agent's display name on agent messages; null on visitor messages. */
  authorName: string | null;
  channel: Channel;
  body: string;
  /** Milliseconds since the epoch, server clock. */
  createdAt: number;
  /** Outgoing email/Messenger messages: queued → sent (→ delivered → read), or failed, bounced, complained (marked as spam). */
  deliveryState?: DeliveryState | null;
  /** Why delivery failed, e.g. "Outside Messenger's 24-hour window". */
  deliveryError?: string | null;
  /** An email reply From another address than the contact's (agents only; never in the widget). */
  otherSender?: string | null;
  attachments?: Attachment[] | null;
  /** Sent by a machine (an auto-reply): shown muted; it neither reopens the conversation nor counts as unread. */
  automatic?: boolean;
  /** When its sender last edited it (Messenger), or null. */
  editedAt?: number | null;
  /** Reactions to it, oldest first (Messenger), or null. */
  reactions?: Reaction[] | null;
}

/** One emoji reaction to a message, and which side gave it. */
export interface Reaction {
  emoji: string;
  author: Author;
}

/** One row of the inbox's conversation list. */
export interface ConversationSummary {
  id: number;
  visitorId: number;
  /** Who the conversation is with; decides which reply channels make sense. */
  kind: ParticipantKind;
  /** Contact name, else email, else "Visitor #N" ("Messenger user" for an unnamed Messenger sender). */
  title: string;
  email: string | null;
  /**
   * False while `email` is only what a web visitor typed (a claim): it may receive replies, but it
   * links to no contact until proven (signed identify, or a reply from that mailbox).
   */
  emailVerified: boolean;
  /** When the participant last wrote (Messenger's 24-hour reply window counts from it). */
  lastInboundAt: number | null;
  status: ConversationStatus;
  online: boolean;
  lastMessageAt: number;
  lastMessagePreview: string;
  lastMessageAuthor: Author;
  /** The agent who wrote the last message, when an agent did. */
  lastMessageAgentId: number | null;
  lastMessageAgentName: string | null;
  /** Visitor messages no agent has seen yet; 0 once any agent opened the conversation. */
  unreadCount: number;
  /** The agent who owns the conversation, or null while unassigned. */
  assigneeId: number | null;
  assigneeName: string | null;
  createdAt: number;
}

/** An agent as every other agent sees them: the Assignee select, mentions, the widget's faces. */
export interface TeamMember {
  id: number;
  name: string;
  /** Their uploaded picture, or null: show initials in a colour. */
  avatarUrl: string | null;
  /** Chose "Available" in the Status select and has an inbox open: counts as "agent online". */
  available: boolean;
}

/** A private note on a conversation: agents only, never sent to the visitor or any channel. */
export interface Note {
  id: number;
  conversationId: number;
  agentId: number;
  agentName: string;
  body: string;
  /** Agents named with `@name` in the body (they are notified). */
  mentions: number[];
  createdAt: number;
}

/** The agent's own choices, kept on the server so every browser they sign in from has them. */
export interface AgentPreferences {
  /** Desktop notifications (the browser's permission is asked from the click that turns this on). */
  desktopNotifications: boolean;
  sound: boolean;
  /** "Notify me about": all new messages / conversations assigned to me or unassigned / nothing. */
  notifyAbout: 'all' | 'mine' | 'nothing';
  /** Single-key shortcuts (j/k…) in the conversation list; WCAG 2.1.4 says they must be switchable off. */
  keyboardShortcuts: boolean;
}

export const DEFAULT_AGENT_PREFERENCES: AgentPreferences = {
  desktopNotifications: false,
  sound: false,
  notifyAbout: 'all',
  keyboardShortcuts: true,
};

/**
 * PUT /api/session/preferences: any of the agent's choices, merged into what is stored. Each field's
 * schema also checks the stored JSON on read (a bad field falls back to its default, not the whole object).
 */
export const agentPreferenceFields = {
  desktopNotifications: z.boolean(),
  sound: z.boolean(),
  notifyAbout: z.enum(['all', 'mine', 'nothing']),
  keyboardShortcuts: z.boolean(),
} satisfies { [K in keyof AgentPreferences]: z.ZodType<AgentPreferences[K]> };
export const agentPreferencesPatch = z
  .strictObject(agentPreferenceFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Change at least one preference');

export type Availability = 'available' | 'away';
export const AVAILABILITIES = ['available', 'away'] as const satisfies readonly Availability[];

/**
 * An available agent as visitors see them in the widget's header: a first name and a picture (an
 * absolute URL on the Parley server, since the widget runs on other sites), or null for initials.
 * Nothing else about agents (email, id) ever reaches a visitor.
 */
export interface WidgetFace {
  name: string;
  avatarUrl: string | null;
}

/** What the inbox's contact panel shows beside a thread. */
export interface ContactPanel {
  name: string | null;
  email: string | null;
  /** As on ConversationSummary: false for an address the visitor typed but never proved. */
  emailVerified: boolean;
  /** When this visitor first wrote (ms since epoch). */
  firstSeen: number;
  /** Their last visit (widget connected), Messenger message or email, whichever came last. */
  lastSeen: number;
  /** The page the visitor is on (or was on when last connected), and how they got there. */
  pageUrl: string | null;
  referrer: string | null;
  browser: string | null;
  os: string | null;
  /** Conversations of this contact (same email), this one included; 1 for an anonymous visitor. */
  conversationCount: number;
  /** The contact's other conversations, newest first. */
  otherConversations: { id: number; lastMessageAt: number; lastMessagePreview: string; status: ConversationStatus }[];
}

export interface SavedResponse {
  id: number;
  title: string;
  body: string;
  category: string;
  createdAt: number;
  updatedAt: number;
}

/** An agent as an admin sees it in Settings. */
export interface AgentRecord {
  id: number;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  active: boolean;
  createdAt: number;
}

export interface SearchResult {
  conversation: ConversationSummary;
  /** The matching message, or null when the contact's name or email matched. */
  messageId: number | null;
  /** Matching text with the hit between «…» marks (plain text, never HTML). */
  snippet: string;
}

/** Who else has a conversation open in the inbox, and whether they are writing a reply. */
export interface Viewer {
  agentId: number;
  name: string;
  typing: boolean;
}

/** Message text: trimmed, not empty, bounded. */
export const messageBody = z
  .string()
  .trim()
  .min(1, 'Message is empty')
  .max(MAX_MESSAGE_LENGTH, `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);

/** Client-generated message id: random, URL-safe, short. */
export const clientId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId must be 8-64 URL-safe characters');

// ---- Visitor socket ---------------------------------------------------------------------------

export const visitorHello = z.object({
  type: z.literal('hello'),
  /** The token from the visitor cookie, if any. */
  token: z.string().min(1).max(200).optional(),
  /** The highest `seq` the widget already shows; the server sends only later messages. */
  sinceSeq: z.number().int().min(0).optional(),
  /**
   * Sent by panels built before seq existed (one loaded before a server upgrade keeps running): the
   * highest message id they show. Honoured when `sinceSeq` is absent, and it marks the socket as old:
   * its welcome carries `seenUpTo` as an id and its `seen` frames carry ids.
   */
  since: z.number().int().min(0).optional(),
  /** The host page the widget runs on, for the agents' contact panel. */
  page: z
    .object({ url: z.string().max(MAX_PAGE_URL_LENGTH), referrer: z.string().max(MAX_PAGE_URL_LENGTH) })
    .optional(),
  /**
   * Sent by a widget without a token: a secret (128+ random bits) it generated and shows no one. If
   * its connection drops before the `identity` frame arrives, the same secret claims the visitor its
   * first message created, for a few minutes; the clientId (which agents see) never does.
   */
  claim: z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, 'claim must be 22-128 URL-safe characters').optional(),
});

/**
 * POST /api/widget/uploads?clientId&name: the body is the file. `claim` and the token travel in
 * headers (X-Parley-Claim, Authorization: Bearer), never in the URL, which proxies log.
 */
export const widgetUploadQuery = z.object({
  clientId,
  name: z.string().min(1).max(500),
});

/** The upload's answer: its message (on disk), and the visitor's new token when this upload created them. */
export interface WidgetUploadResult {
  message: ChatMessage;
  token?: string;
}

export const visitorSend = z.object({
  type: z.literal('send'),
  clientId,
  body: messageBody,
});

/**
 * The widget showed the visitor everything up to this `seq`. Panels built before seq send `messageId`
 * (an id) instead; exactly one of the two is present.
 */
export const visitorSeen = z
  .object({
    type: z.literal('seen'),
    seq: z.number().int().min(0).optional(),
    messageId: z.number().int().min(0).optional(),
  })
  .refine((frame) => (frame.seq === undefined) !== (frame.messageId === undefined), 'seen carries either seq or messageId');

/** The visitor is typing; `preview` is the draft so far ('' when cleared). At most one per 2 s. */
export const visitorTyping = z.object({
  type: z.literal('typing'),
  preview: z.string().max(MAX_MESSAGE_LENGTH),
});

export const identity = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Invalid email address')).pipe(z.string().max(MAX_EMAIL_LENGTH)).optional(),
  name: z.string().trim().min(1).max(MAX_NAME_LENGTH).optional(),
  /**
   * Hex HMAC-SHA256 of `email` under PARLEY_IDENTITY_SECRET, computed by the site's own backend.
   * With it the email is verified; without it (the widget's form) it stays a claim.
   */
  userHash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'userHash must be 64 hex characters').optional(),
});

export const visitorIdentify = identity.extend({ type: z.literal('identify') });

export const visitorClientFrame = z.discriminatedUnion('type', [
  visitorHello,
  visitorSend,
  visitorSeen,
  visitorIdentify,
  visitorTyping,
]);
export type VisitorClientFrame = z.infer<typeof visitorClientFrame>;

/** Settings → Widget as a visitor's widget needs it, resolved on the server (hours, contrast). */
export interface VisitorWidgetSettings {
  title: string;
  /** The reply-time line under the title. */
  subtitle: string;
  greeting: string;
  /** The brand colour (#rrggbb) and the text colour that reaches 4.5:1 on it. */
  color: string;
  textColor: string;
  position: 'right' | 'left';
  /** False outside business hours: the widget shows `outsideHoursText` and asks for an email. */
  open: boolean;
  outsideHoursText: string;
  /** The widget offers its email form when no agent answered this long after the visitor wrote. */
  askEmailAfterMs: number;
}

export type VisitorServerFrame =
  /**
   * Answer to hello. `forget` tells the widget its token is unknown: drop the cookie, start afresh.
   * `agentsOnline` and `askEmailAfterMs` drive the email form ("We'll reply by email"); `email` is
   * the address this visitor already left, if any.
   */
  | {
      type: 'welcome';
      known: boolean;
      forget: boolean;
      history: ChatMessage[];
      /** The highest seq this visitor has seen (on any of their tabs): later agent replies are unread. */
      seenUpToSeq: number;
      /** The same watermark as a message id, only for a panel built before seq (its hello sent `since`). */
      seenUpTo?: number;
      agentsOnline: boolean;
      email: string | null;
      /** Also in `settings`; kept here for a widget.js still cached from before settings existed. */
      askEmailAfterMs: number;
      /** Up to three available agents, for the header's faces. */
      team: WidgetFace[];
      settings: VisitorWidgetSettings;
    }
  /** An admin saved Settings → Widget, or business hours opened or closed: apply without a reload. */
  | { type: 'settings'; settings: VisitorWidgetSettings }
  /** The first agent became available (Status "Available", inbox open), or the last one stopped being. */
  | { type: 'agentsOnline'; online: boolean }
  /** The available agents the header shows changed (someone came, left, or changed name or picture). */
  | { type: 'team'; team: WidgetFace[] }
  /** The visitor's email was saved (from the widget's form or `Parley('identify')`). */
  | { type: 'identified'; email: string | null }
  /** Sent once, when the first message creates the visitor: the widget stores it in its cookie. */
  | { type: 'identity'; token: string }
  /** The message with this clientId is on disk. */
  | { type: 'ack'; clientId: string; message: ChatMessage }
  /** A message the widget did not send itself (an agent reply, or the visitor's other tab). */
  | { type: 'message'; message: ChatMessage }
  /** An agent is writing a reply ("Ada is typing…"); `agentName: null` when they stopped. */
  | { type: 'typing'; agentName: string | null }
  | ErrorFrame;

export interface ErrorFrame {
  type: 'error';
  /** `rate_limited`: nothing was stored; send the same frame again after `retryAfterMs`. */
  code: 'bad_json' | 'bad_frame' | 'not_ready' | 'internal' | 'rate_limited';
  message: string;
  /** With `bad_frame`: the frame field the error is about (its path, e.g. 'email'); `message` says what is wrong with it. */
  field?: string;
  /** Present when the error is about one message the client sent. */
  clientId?: string;
  /** With `rate_limited`: how long to wait before trying again. */
  retryAfterMs?: number;
}

// ---- Agent socket ---------------------------------------------------------------------------
// The inbox changes state through the HTTP API; the socket carries live news out, and the agent's
// own fleeting state (what they are looking at, whether they are typing) in.

export const agentClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  /** The conversation this agent has open now, or null. */
  z.object({ type: z.literal('viewing'), conversationId: z.number().int().positive().nullable() }),
  /** The agent is typing a reply in this conversation. At most one per 2 s. */
  z.object({ type: z.literal('typing'), conversationId: z.number().int().positive() }),
]);
export type AgentClientFrame = z.infer<typeof agentClientFrame>;

export type AgentServerFrame =
  | { type: 'conversation'; conversation: ConversationSummary }
  /** A new message, with its conversation's updated summary (one frame, one render). */
  | { type: 'message'; message: ChatMessage; conversation: ConversationSummary }
  | { type: 'presence'; conversationId: number; online: boolean }
  /** How many open conversations have unread visitor messages (the nav's red dot and tab title). */
  | { type: 'unread'; conversations: number }
  /** Agents who have this conversation open right now. */
  | { type: 'viewers'; conversationId: number; viewers: Viewer[] }
  /** The visitor's draft as they type ('' when they cleared it or sent it). */
  | { type: 'visitorTyping'; conversationId: number; preview: string }
  /** A stored message changed (its delivery state): replace it in place. */
  | { type: 'messageUpdated'; message: ChatMessage }
  /** This agent was deactivated or signed out elsewhere: the inbox must return to sign-in. */
  | { type: 'signedOut' }
  /** A private note was added; `note.mentions` are the agents to notify. */
  | { type: 'note'; note: Note }
  /** Someone's name, picture or availability changed, or an agent came or went: the whole team. */
  | { type: 'team'; team: TeamMember[] }
  | ErrorFrame;

// ---- HTTP API bodies --------------------------------------------------------------------------

export const signInBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email')),
  password: z.string().min(1, 'Enter your password').max(MAX_PASSWORD_LENGTH),
});

/** PUT /api/session/password: the signed-in agent's own password; their other sessions end. */
export const changePasswordBody = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(MAX_PASSWORD_LENGTH),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH),
});

/** PUT /api/session/availability: the top bar's Status select. */
export const availabilityBody = z.object({ availability: z.enum(AVAILABILITIES) });

/** PUT /api/session/profile: the agent's own name (Settings → Profile); no control characters. */
export const profileBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name')
    .max(MAX_NAME_LENGTH, `Use at most ${MAX_NAME_LENGTH} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'Use letters, not control characters'),
});

export const newAgentBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email')).pipe(z.string().max(MAX_EMAIL_LENGTH)),
  name: z.string().trim().min(1, 'Enter a name').max(MAX_NAME_LENGTH),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH),
});

/** PATCH /api/agents/:id: an admin renames an agent or changes their role. */
export const agentChangesBody = z
  .object({
    name: z.string().trim().min(1, 'Enter a name').max(MAX_NAME_LENGTH),
    role: z.enum(['admin', 'agent']),
  })
  .partial()
  .refine((c) => c.name !== undefined || c.role !== undefined, 'Change the name or the role');

/** POST /api/agents/:id/password: an admin sets a new password for an agent; their sessions end. */
export const agentPasswordBody = z.object({
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH),
});

/** POST /api/uploads answers this: a file kept for the agent's next reply (send its id with it). */
export interface UploadedFile {
  id: number;
  attachment: Attachment;
}

/** Files one reply may carry (uploaded first, then named by id). */
export const MAX_REPLY_FILES = 10;

export const replyBody = z.object({
  /** May be empty when the reply carries files. */
  body: z.string().trim().max(MAX_MESSAGE_LENGTH, `Message is longer than ${MAX_MESSAGE_LENGTH} characters`),
  /** Files uploaded with POST /api/uploads for this reply. */
  attachmentIds: z.array(z.number().int().positive()).max(MAX_REPLY_FILES, `Attach at most ${MAX_REPLY_FILES} files`).optional(),
  clientId: clientId.optional(),
  /** Omitted: the default channel for this conversation right now (see shared/channels.ts). */
  channel: z.enum(CHANNELS).optional(),
  /** Messenger only: reply with the HUMAN_AGENT tag, allowed up to 7 days after the person wrote. */
  messengerTag: z.literal('HUMAN_AGENT').optional(),
}).refine((reply) => reply.body.length > 0 || (reply.attachmentIds?.length ?? 0) > 0, { message: 'Message is empty', path: ['body'] });

/** "Send chat thread": email the transcript so far, with an optional note on top. */
export const transcriptBody = z.object({
  note: z.string().trim().max(MAX_MESSAGE_LENGTH).optional(),
  clientId: clientId.optional(),
});

export const savedResponseBody = z.object({
  title: z.string().trim().min(1, 'Give it a title').max(MAX_SAVED_RESPONSE_TITLE_LENGTH),
  body: messageBody,
  category: z.string().trim().min(1, 'Choose or type a category').max(MAX_SAVED_RESPONSE_CATEGORY_LENGTH),
});
export const savedResponsePatch = savedResponseBody.partial();

export const searchQuery = z.object({
  q: z.string().trim().min(1, 'Type something to search for').max(200),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const conversationListQuery = z.object({
  status: z.enum(['open', 'complete', 'all']).default('all'),
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  cursor: z.string().regex(/^\d+_\d+$/, 'Bad cursor').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Whose conversations: everyone's, the signed-in agent's, or nobody's yet. */
  assigned: z.enum(['anyone', 'me', 'unassigned']).default('anyone'),
});
export type AssignedFilter = z.infer<typeof conversationListQuery>['assigned'];

/** PUT /api/conversations/:id/assignee: an active agent, or null to unassign. */
export const assigneeBody = z.object({
  agentId: z.number().int().positive().nullable(),
});

/** POST /api/conversations/:id/notes: bounded like a message, never sent anywhere. */
export const noteBody = z.object({
  body: z
    .string()
    .trim()
    .min(1, 'Note is empty')
    .max(MAX_MESSAGE_LENGTH, `Note is longer than ${MAX_MESSAGE_LENGTH} characters`),
});

// ---- Settings → Widget -------------------------------------------------------------------------

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A time of day, HH:MM on the 24-hour clock; 24:00 is the end of the day. */
const timeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use HH:MM, e.g. 09:00');
/** One day's opening hours, or null: closed all day. */
const openingHours = z
  .object({ from: timeOfDay, to: timeOfDay })
  .refine((h) => h.to > h.from, { message: 'Closing time must be after opening time', path: ['to'] })
  .nullable();

/** Whether this runtime's Intl knows the IANA time zone (Europe/Paris, America/New_York…). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An origin a site embeds the widget from: scheme, host and port only, like the browser's Origin header. */
const embedOrigin = z
  .string()
  .trim()
  .max(200)
  .transform((raw) => raw.replace(/\/+$/, ''))
  .refine((raw) => {
    try {
      const url = new URL(raw);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === raw;
    } catch {
      return false;
    }
  }, 'Use an origin like https://www.example.com (no path)');

export const MAX_WIDGET_TITLE_LENGTH = 60;
export const MAX_WIDGET_SUBTITLE_LENGTH = 120;
export const MAX_WIDGET_GREETING_LENGTH = 500;
export const MAX_OUTSIDE_HOURS_TEXT_LENGTH = 200;
export const MAX_ALLOWED_ORIGINS = 50;
export const MAX_EMAIL_PROMPT_DELAY_SECONDS = 86_400;

/**
 * Settings → Widget, as PUT /api/settings/widget takes it and the database keeps it (parsed again
 * on every read). The colour must take white or dark text at 4.5:1, else it is refused with the ratio.
 */
export const widgetSettingsBody = z.object({
  title: z.string().trim().min(1, 'Enter a title').max(MAX_WIDGET_TITLE_LENGTH),
  subtitle: z.string().trim().max(MAX_WIDGET_SUBTITLE_LENGTH),
  greeting: z.string().trim().min(1, 'Enter a greeting').max(MAX_WIDGET_GREETING_LENGTH),
  color: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #4f46e5')
    .transform((c) => c.toLowerCase())
    .superRefine((color, ctx) => {
      const { textColor, ratio } = textColorOn(color);
      if (textColor) return;
      ctx.addIssue({
        code: 'custom',
        message: `Text on ${color} reaches only ${ratio.toFixed(2)}:1 contrast, in white or in dark; pick a darker or lighter colour (4.5:1 is needed)`,
      });
    }),
  position: z.enum(['right', 'left']),
  /** null: always open. */
  hours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, openingHours])) as Record<Weekday, typeof openingHours>).nullable(),
  timeZone: z.string().max(64).refine(isTimeZone, 'Unknown time zone'),
  outsideHoursText: z.string().trim().min(1, 'Enter what the widget says outside business hours').max(MAX_OUTSIDE_HOURS_TEXT_LENGTH),
  emailPromptDelaySeconds: z
    .number({ error: 'Enter the delay in seconds' })
    .min(0, 'Enter 0 or more seconds')
    .max(MAX_EMAIL_PROMPT_DELAY_SECONDS, `At most ${MAX_EMAIL_PROMPT_DELAY_SECONDS} seconds (a day)`),
  /** Sites that may embed the widget; empty: any. PARLEY_ALLOWED_ORIGINS, when set, wins over this. */
  allowedOrigins: z.array(embedOrigin).max(MAX_ALLOWED_ORIGINS),
});
export type WidgetSettings = z.output<typeof widgetSettingsBody>;
export type BusinessHours = NonNullable<WidgetSettings['hours']>;

/** GET and PUT /api/settings/widget answer with the settings and what else the page must say. */
export interface WidgetSettingsView {
  settings: WidgetSettings;
  /** The text colour the widget will use on `settings.color` (dark when white falls below 4.5:1). */
  textColor: string;
  /** PARLEY_ALLOWED_ORIGINS when set: it wins over `settings.allowedOrigins`. */
  envAllowedOrigins: string[] | null;
  /** Whether the widget is inside business hours right now. */
  openNow: boolean;
}

export interface AgentView {
  id: number;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  /** On the session's own agent: their Status choice, remembered across sign-ins. */
  availability?: Availability;
  /** On the session's own agent: their uploaded picture, or null for initials. */
  avatarUrl?: string | null;
}

export interface SessionView {
  agent: AgentView | null;
  csrfToken: string | null;
  /** True while no agent exists: the inbox shows "Create the first admin". */
  setupRequired: boolean;
  /** Which outgoing channels this server can deliver (chat always). */
  channels: ChannelSupport;
  /** The signed-in agent's own choices (the defaults while nobody is signed in). */
  preferences: AgentPreferences;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  nextCursor: string | null;
  /** Open conversations with unread visitor messages, across all pages. */
  unreadConversations: number;
}

export interface ConversationDetail {
  conversation: ConversationSummary;
  messages: ChatMessage[];
  contact: ContactPanel;
  /** Private notes, oldest first (agents only). */
  notes: Note[];
}

/** One email as Settings → Outbox lists it (what was, or would have been, sent). */
export interface OutboxEmail {
  id: number;
  conversationId: number;
  kind: 'reply' | 'followup' | 'transcript';
  to: string;
  subject: string;
  /** The plain-text part (the HTML part says the same, escaped). */
  text: string;
  /** bounced and complained: the recipient's server refused it after sending, or they marked it as spam. */
  status: 'queued' | 'sent' | 'failed' | 'bounced' | 'complained';
  attempts: number;
  lastError: string | null;
  /** 'resend', or 'local' when no provider is configured and nothing left this server. */
  transport: 'resend' | 'local' | null;
  createdAt: number;
  sentAt: number | null;
}

export interface OutboxPage {
  emails: OutboxEmail[];
  nextCursor: string | null;
  /** How mail leaves this server now: through Resend, or into this local outbox only. */
  transport: 'resend' | 'local';
}

export interface ApiError {
  error: string;
  issues?: { path: string; message: string }[];
  /** On 429 and 503: wait this long before trying again (also in the Retry-After header). */
  retryAfterSeconds?: number;
}
