// Test doubles for the inbox's component tests: a scripted fetch for the JSON API, a WebSocket the
// test opens, feeds and drops by hand, and sample protocol objects. Not part of the page bundle.
import { vi } from 'vitest';
import type { AgentServerFrame, ChatMessage, ContactPanel, ConversationSummary, SavedResponse } from '../../shared/protocol';

export interface ApiCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

/** Replaces global fetch; `answer` decides each response; `calls` records every request. */
export function mockApi(answer: (call: ApiCall) => Reply) {
  const calls: ApiCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: ApiCall = {
      method: init.method ?? 'GET',
      path: String(input),
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const { status, body } = await answer(call);
    return new Response(status === 204 ? null : JSON.stringify(body ?? {}), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const json = (body: unknown, status = 200) => ({ status, body });

/** A WebSocket stand-in: instances are collected so a test can open, feed and close them. */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  static get last(): FakeSocket {
    const socket = FakeSocket.instances[FakeSocket.instances.length - 1];
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
  static reset(): void {
    FakeSocket.instances = [];
  }

  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  /** Every frame the page sent, parsed. */
  sent: unknown[] = [];

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  close(): void {
    this.closed = true;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  // Test controls.
  open(): void {
    this.onopen?.();
  }
  push(frame: AgentServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(): void {
    this.closed = true;
    this.onclose?.();
  }
}

export const asWebSocket = FakeSocket as unknown as typeof WebSocket;

let nextId = 1;

export function summary(over: Partial<ConversationSummary> = {}): ConversationSummary {
  const id = over.id ?? nextId++;
  return {
    id,
    visitorId: id,
    kind: 'web',
    title: `Visitor #${id}`,
    email: null,
    emailVerified: true,
    lastInboundAt: null,
    status: 'open',
    online: false,
    lastMessageAt: Date.now(),
    lastMessagePreview: 'Hello there',
    lastMessageAuthor: 'visitor',
    lastMessageAgentId: null,
    lastMessageAgentName: null,
    unreadCount: 0,
    assigneeId: null,
    assigneeName: null,
    createdAt: Date.now() - 60_000,
    ...over,
  };
}

export function message(over: Partial<ChatMessage> & { conversationId: number }): ChatMessage {
  const id = over.id ?? nextId++;
  return {
    id,
    // In the order they were made, like a real conversation's seq (these fixtures never share a thread across ids).
    seq: id,
    clientId: null,
    author: 'visitor',
    authorName: null,
    channel: 'chat',
    body: 'Hello there',
    createdAt: Date.now(),
    ...over,
  };
}

export function contact(over: Partial<ContactPanel> = {}): ContactPanel {
  return {
    name: null,
    email: null,
    emailVerified: true,
    firstSeen: Date.now() - 86_400_000,
    lastSeen: Date.now(),
    pageUrl: null,
    referrer: null,
    browser: null,
    os: null,
    conversationCount: 1,
    otherConversations: [],
    ...over,
  };
}

export function savedResponse(over: Partial<SavedResponse> = {}): SavedResponse {
  const id = over.id ?? nextId++;
  return {
    id,
    title: `Response ${id}`,
    body: 'Thanks for getting in touch!',
    category: 'General',
    createdAt: Date.now(),
    updatedAt: Date.now(),
    ...over,
  };
}
