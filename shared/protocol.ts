// The typed protocol between widget, inbox and server: every frame and API body is declared once here.
// Frames coming *into* the server are zod schemas (parsed at the boundary); frames going out are types.
// The widget must only `import type` from this file, so zod never reaches the visitor's bundle.
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from './limits';

export type Author = 'visitor' | 'agent';
export type Channel = 'chat';
export type ConversationStatus = 'open' | 'complete';

/** A stored message, as both the widget and the inbox see it. */
export interface ChatMessage {
  id: number;
  conversationId: number;
  /** Id the sender generated; lets a client match an ack or a history entry to its pending copy. */
  clientId: string | null;
  author: Author;
  /** The agent's display name on agent messages; null on visitor messages. */
  authorName: string | null;
  channel: Channel;
  body: string;
  /** Milliseconds since the epoch, server clock. */
  createdAt: number;
}

/** One row of the inbox's conversation list. */
export interface ConversationSummary {
  id: number;
  visitorId: number;
  /** Contact name, else email, else "Visitor #N". */
  title: string;
  email: string | null;
  status: ConversationStatus;
  online: boolean;
  lastMessageAt: number;
  lastMessagePreview: string;
  lastMessageAuthor: Author;
  createdAt: number;
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
  /** Highest message id the widget already shows; the server sends only newer ones. */
  since: z.number().int().min(0).optional(),
});

export const visitorSend = z.object({
  type: z.literal('send'),
  clientId,
  body: messageBody,
});

export const visitorSeen = z.object({
  type: z.literal('seen'),
  messageId: z.number().int().min(0),
});

export const identity = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Invalid email address')).pipe(z.string().max(254)).optional(),
  name: z.string().trim().min(1).max(100).optional(),
});

export const visitorIdentify = identity.extend({ type: z.literal('identify') });

export const visitorClientFrame = z.discriminatedUnion('type', [
  visitorHello,
  visitorSend,
  visitorSeen,
  visitorIdentify,
]);
export type VisitorClientFrame = z.infer<typeof visitorClientFrame>;

export type VisitorServerFrame =
  /** Answer to hello. `forget` tells the widget its token is unknown: drop the cookie, start afresh. */
  | { type: 'welcome'; known: boolean; forget: boolean; history: ChatMessage[]; seenUpTo: number }
  /** Sent once, when the first message creates the visitor: the widget stores it in its cookie. */
  | { type: 'identity'; token: string }
  /** The message with this clientId is on disk. */
  | { type: 'ack'; clientId: string; message: ChatMessage }
  /** A message the widget did not send itself (an agent reply, or the visitor's other tab). */
  | { type: 'message'; message: ChatMessage }
  | ErrorFrame;

export interface ErrorFrame {
  type: 'error';
  code: 'bad_json' | 'bad_frame' | 'not_ready' | 'internal';
  message: string;
  /** Present when the error is about one message the client sent. */
  clientId?: string;
}

// ---- Agent socket (server → inbox only; the inbox acts through the HTTP API) -------------------

export type AgentServerFrame =
  | { type: 'conversation'; conversation: ConversationSummary }
  /** A new message, with its conversation's updated summary (one frame, one render). */
  | { type: 'message'; message: ChatMessage; conversation: ConversationSummary }
  | { type: 'presence'; conversationId: number; online: boolean }
  | ErrorFrame;

// ---- HTTP API bodies --------------------------------------------------------------------------

export const signInBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email')),
  password: z.string().min(1, 'Enter your password').max(200),
});

export const newAgentBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email')).pipe(z.string().max(254)),
  name: z.string().trim().min(1, 'Enter a name').max(100),
  password: z.string().min(8, 'Use at least 8 characters').max(200),
});

export const replyBody = z.object({
  body: messageBody,
  clientId: clientId.optional(),
});

export const conversationListQuery = z.object({
  status: z.enum(['open', 'complete', 'all']).default('all'),
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  cursor: z.string().regex(/^\d+_\d+$/, 'Bad cursor').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface AgentView {
  id: number;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}

export interface SessionView {
  agent: AgentView | null;
  csrfToken: string | null;
  /** True while no agent exists: the inbox shows "Create the first admin". */
  setupRequired: boolean;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  nextCursor: string | null;
}

export interface ConversationDetail {
  conversation: ConversationSummary;
  messages: ChatMessage[];
}

export interface ApiError {
  error: string;
  issues?: { path: string; message: string }[];
}
