// The widget's link to the server: one WebSocket with reconnect and backoff, and an outbox that
// resends every unacknowledged message, in order, after each reconnect (the server dedupes by
// clientId, so a message is stored and shown once). Holds the thread; knows nothing about the UI.
import { AGENT_ATTACHMENTS_PATH, SERVICE_RESTART_CLOSE_CODE, WIDGET_ATTACHMENTS_PATH, WIDGET_UPLOAD_PATH } from '../shared/limits';
import type { ApiError, Attachment, ChatMessage, VisitorClientFrame, VisitorServerFrame, VisitorWidgetSettings, WidgetFace, WidgetUploadResult } from '../shared/protocol';
import type { VisitorTokenStore } from './visitorCookie';

export type DeliveryState = 'sending' | 'sent' | 'failed';

export interface ThreadMessage {
  /** Stable key for rendering: the clientId for our own messages, else the server id. */
  key: string;
  id: number | null;
  author: 'visitor' | 'agent';
  authorName: string | null;
  body: string;
  createdAt: number;
  state: DeliveryState;
  attachments?: Attachment[] | null;
  /** A file on its way: its name, a local preview for images, and how much has gone (0–1). */
  upload?: { name: string; preview: string | null; progress: number };
}

/** A file the visitor picked, pasted or dropped, until the server has it (kept for this page only). */
interface Upload {
  clientId: string;
  file: File;
  preview: string | null;
  createdAt: number;
  progress: number;
  busy: boolean;
}

/** A file that failed for a network reason is tried again after this long (and at every reconnect). */
const UPLOAD_RETRY_MS = 3_000;

export type LinkStatus = 'idle' | 'connecting' | 'online' | 'offline';

interface Pending {
  clientId: string;
  body: string;
  createdAt: number;
  failed: boolean;
  /** Until the server accepts it, a message waits here; rejected ones leave until Retry. */
  queued: boolean;
  ackTimer?: ReturnType<typeof setTimeout>;
}

/**
 * What survives a page reload or a closed tab (localStorage in the browser): unsent messages, and
 * the claim secret that gets their visitor back if the server created it but its token never came.
 */
export interface SavedOutbox {
  claim?: string;
  messages: { clientId: string; body: string; createdAt: number }[];
}

export interface OutboxStore {
  load(): SavedOutbox;
  save(outbox: SavedOutbox): void;
}

export interface ConnectionOptions {
  socketUrl: string;
  tokens: VisitorTokenStore;
  outbox?: OutboxStore;
  onChange: () => void;
  /** The host page's address and referrer, for the agents' contact panel. */
  page?: () => { url: string; referrer: string };
  /** Injectable for tests in Node, where the browser's WebSocket is not global. */
  WebSocketImpl?: typeof WebSocket;
  /** A message not acknowledged within this time is shown as failed (and still resent). */
  ackTimeoutMs?: number;
  /** Injectable for tests in Node, where the browser's XMLHttpRequest is not global. */
  XHRImpl?: typeof XMLHttpRequest;
}

const MAX_BACKOFF_MS = 15_000;
const TYPING_INTERVAL_MS = 2_000;
const AGENT_TYPING_EXPIRES_MS = 6_000;

/** 128 random bits as hex (getRandomValues works on http pages too, unlike randomUUID). */
const newClientId = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export class ChatConnection {
  status: LinkStatus = 'idle';
  /** The highest seq the visitor has seen (drives the launcher's unread count). */
  seenUpTo = 0;
  #confirmed = new Map<number, ChatMessage>();
  #pending: Pending[] = [];
  #socket: WebSocket | null = null;
  #welcomed = false;
  #attempts = 0;
  /** Longest wait between reconnects: 2 s from a "restarting" close (1012) until the next welcome. */
  #maxBackoff = MAX_BACKOFF_MS;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Sent in hello while the widget has no token, and shown to no one: it claims back the visitor
   * our first message created if the connection drops before the token arrives (the server keeps
   * only its hash, for a few minutes). The clientId cannot do that: agents see it.
   */
  #claim: string;
  /** Set while the server asked us to wait (rate_limited): nothing is sent until it fires. */
  #pause: ReturnType<typeof setTimeout> | undefined;
  /** Seconds the current wait lasts when it is long enough to mention (else 0). */
  pausedFor = 0;
  /** What the page said about the visitor; `userHash` is the site backend's signature of `email`. */
  #identity: { email?: string; name?: string; userHash?: string } | null = null;
  /** The visitor's email as the server stored it (welcome or identified). */
  #storedEmail: string | null = null;
  /** Whether the server has this visitor on file; until then it holds an identify unconfirmed until they write. */
  #known = false;
  /** The panel was opened: stay connected to hear whether agents are online, even before writing. */
  #listening = false;
  /** Whether any agent is available; null until the server said. */
  agentsOnline: boolean | null = null;
  /** Up to three available agents, for the header's faces. */
  team: WidgetFace[] = [];
  /** Settings → Widget as the server last sent it (welcome, or a save since); null until then. */
  settings: VisitorWidgetSettings | null = null;
  /** Why the server refused the email given last (shown under the form), or null. */
  emailError: string | null = null;
  #stopped = false;
  /** Name of the agent typing a reply right now, or null. */
  agentTyping: string | null = null;
  #agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  #draft = '';
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #uploads: Upload[] = [];
  /** Whether this socket is the visitor's: it said hello with their token, or its first message created them. */
  #greetedWithToken = false;
  /** Why the last file was refused ("photo.heic: That type of file is not allowed here"), or null. */
  uploadError: string | null = null;

  readonly #options: ConnectionOptions;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    const saved = options.outbox?.load();
    this.#claim = saved?.claim ?? newClientId();
    this.#pending = (saved?.messages ?? []).map((m) => ({ ...m, failed: false, queued: true }));
  }

  /**
   * Returning visitors connect at once (so agents see them online), as does anyone with messages
   * left unsent by an earlier page; a new visitor stays offline until they write.
   */
  start(): void {
    if (this.#options.tokens.read() || this.#pending.length > 0) this.#connect();
  }

  /** The panel opened: connect even for a visitor who has not written, so it can say whether anyone is online. */
  listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close();
  }

  get messages(): ThreadMessage[] {
    const sent = [...this.#confirmed.values()]
      .sort((a, b) => a.seq - b.seq)
      .map<ThreadMessage>((m) => ({ ...m, key: m.clientId ?? `m${m.id}`, state: 'sent' }));
    const waiting = this.#pending.map<ThreadMessage>((p) => ({
      key: p.clientId,
      id: null,
      author: 'visitor',
      authorName: null,
      body: p.body,
      createdAt: p.createdAt,
      state: p.failed ? 'failed' : 'sending',
    }));
    const files = this.#uploads.map<ThreadMessage>((u) => ({
      key: u.clientId,
      id: null,
      author: 'visitor',
      authorName: null,
      body: '',
      createdAt: u.createdAt,
      state: 'sending',
      upload: { name: u.file.name, preview: u.preview, progress: u.progress },
    }));
    return [...sent, ...waiting, ...files];
  }

  /** How long a visitor message may wait for an answer before the widget asks for an email. */
  get askEmailAfterMs(): number {
    return this.settings?.askEmailAfterMs ?? 60_000;
  }

  get unreadCount(): number {
    let count = 0;
    for (const m of this.#confirmed.values()) if (m.author === 'agent' && m.seq > this.seenUpTo) count++;
    return count;
  }

  send(body: string): void {
    const message: Pending = { clientId: newClientId(), body, createdAt: Date.now(), failed: false, queued: true };
    this.#pending.push(message);
    this.#saveOutbox();
    this.#transmit(message);
    this.#changed();
  }

  /**
   * Sends a file over HTTP with the visitor's token (or, for a new visitor, the claim secret, so a
   * lost answer cannot create a second visitor). A network failure keeps it and tries again; its
   * clientId makes any resend the same message.
   */
  attach(file: File): void {
    const upload: Upload = {
      clientId: newClientId(),
      file,
      preview: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
      createdAt: Date.now(),
      progress: 0,
      busy: false,
    };
    this.uploadError = null;
    this.#uploads.push(upload);
    this.#upload(upload);
    this.#changed();
  }

  /** One of this conversation's files, fetched with the visitor's token (the server checks it is theirs). */
  async fetchFile(url: string): Promise<Blob> {
    const res = await fetch(this.#server + url.replace(AGENT_ATTACHMENTS_PATH, WIDGET_ATTACHMENTS_PATH), {
      headers: { Authorization: `Bearer ${this.#options.tokens.read()}` },
    });
    if (!res.ok) throw new Error(String(res.status));
    return res.blob();
  }

  get #server(): string {
    return new URL(this.#options.socketUrl.replace(/^ws/, 'http')).origin;
  }

  #upload(upload: Upload): void {
    if (upload.busy || this.#stopped || !this.#uploads.includes(upload)) return;
    upload.busy = true;
    const token = this.#options.tokens.read();
    const xhr = new (this.#options.XHRImpl ?? XMLHttpRequest)();
    xhr.open('POST', `${this.#server}${WIDGET_UPLOAD_PATH}?clientId=${upload.clientId}&name=${encodeURIComponent(upload.file.name || 'file')}`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    else xhr.setRequestHeader('X-Parley-Claim', this.#claim);
    xhr.setRequestHeader('Content-Type', upload.file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      upload.progress = e.total ? e.loaded / e.total : 0;
      this.#changed();
    };
    xhr.onloadend = () => {
      upload.busy = false;
      upload.progress = 0;
      let answer: Partial<WidgetUploadResult & ApiError> = {};
      try {
        answer = JSON.parse(xhr.responseText) as typeof answer;
      } catch {
        // Not our answer (a proxy's error page, or none at all): treated by its status below.
      }
      const done = () => {
        this.#uploads = this.#uploads.filter((u) => u !== upload);
        if (upload.preview) URL.revokeObjectURL(upload.preview);
      };
      if (xhr.status === 200 && answer.message) {
        done();
        if (answer.token && !token) this.#adopt(answer.token);
        this.#confirm(answer.message);
      } else if (xhr.status === 0 || xhr.status === 429 || xhr.status >= 500) {
        // Offline, told to wait, or our fault: the same clientId goes again, so it is stored once.
        const wait = Number(xhr.getResponseHeader('Retry-After')) * 1000 || UPLOAD_RETRY_MS;
        setTimeout(() => this.#upload(upload), wait);
      } else {
        done();
        this.uploadError = `${upload.file.name}: ${answer.error ?? 'not sent'}`;
      }
      this.#changed();
    };
    xhr.send(upload.file);
  }

  /**
   * An upload created this visitor: keep their token, and say hello again with it on an open socket
   * (which greeted the server as nobody), so replies reach this tab.
   */
  #adopt(token: string): void {
    this.#setToken(token);
    const socket = this.#socket;
    if (!socket || this.#greetedWithToken) return;
    this.#socket = null;
    socket.close();
    this.#connect();
  }

  #setToken(token: string): void {
    this.#options.tokens.write(token);
    // The token replaces the claim; a fresh one is ready should this visitor ever be forgotten.
    this.#claim = newClientId();
    this.#saveOutbox();
  }

  /** Puts a failed message back in line and reconnects now instead of waiting for the backoff. */
  retry(key: string): void {
    const message = this.#pending.find((p) => p.clientId === key);
    if (!message) return;
    message.failed = false;
    message.queued = true;
    if (this.status === 'offline') {
      this.#armAckTimer(message);
      this.reconnectNow();
    } else this.#transmit(message);
    this.#changed();
  }

  /**
   * The visitor's draft changed. Agents see a live preview, sent at most once per 2 s: the first
   * change goes at once, later ones wait and only the newest is sent.
   */
  typing(draft: string): void {
    this.#draft = draft;
    if (this.#typingTimer !== undefined) return;
    this.#frame({ type: 'typing', preview: draft });
    this.#typingTimer = setTimeout(() => {
      this.#typingTimer = undefined;
      if (this.#draft !== draft) this.typing(this.#draft);
    }, TYPING_INTERVAL_MS);
  }

  #showAgentTyping(name: string | null): void {
    clearTimeout(this.#agentTypingTimer);
    this.agentTyping = name;
    // A lost "stopped" frame must not leave "Ada is typing…" up for ever.
    if (name) this.#agentTypingTimer = setTimeout(() => this.#showAgentTyping(null), AGENT_TYPING_EXPIRES_MS);
    this.#changed();
  }

  /**
   * The highest seq with every message up to it here: catch-up asks for everything after it. Seqs have
   * no gaps, so a hole below the newest (another process's message the cluster bus lost while our own
   * later one was acknowledged) is asked for again rather than skipped for good. Mail from another
   * address is a hole the widget never fills (agents only): it costs re-sent history, never a message.
   */
  #caughtUpTo(): number {
    const seqs = new Set<number>();
    for (const m of this.#confirmed.values()) seqs.add(m.seq);
    let seq = 0;
    while (seqs.has(seq + 1)) seq++;
    return seq;
  }

  /** The newest seq this widget holds (0: none). */
  #lastSeq(): number {
    let seq = 0;
    for (const m of this.#confirmed.values()) seq = Math.max(seq, m.seq);
    return seq;
  }

  markSeen(): void {
    const newest = this.#lastSeq();
    if (newest <= this.seenUpTo) return;
    this.seenUpTo = newest;
    this.#frame({ type: 'seen', seq: newest });
    this.#changed();
  }

  identify(identity: { email?: string; name?: string; userHash?: string }): void {
    this.#identity = { ...this.#identity, ...identity };
    this.emailError = null;
    this.#frame({ type: 'identify', ...this.#identity });
    this.#changed();
  }

  /**
   * Where replies will be emailed: the server's word once the visitor exists; before that, the
   * address given (the server holds it until the first message and has refused it if invalid).
   */
  get email(): string | null {
    return this.#storedEmail ?? (this.#known ? null : (this.#identity?.email ?? null));
  }

  /** Network came back or the tab became visible: skip the remaining backoff. */
  reconnectNow(): void {
    if (this.status !== 'offline' || this.#stopped) return;
    clearTimeout(this.#retryTimer);
    this.#connect();
  }

  #transmit(message: Pending): void {
    this.#armAckTimer(message);
    if (!this.#socket) return this.#connect();
    if (!this.#welcomed || this.#pause) return; // flushed in order once the welcome arrives or the wait ends
    this.#frame({ type: 'send', clientId: message.clientId, body: message.body });
  }

  /** The visitor sees "failed" if this attempt is not acknowledged in time (resending goes on). */
  #armAckTimer(message: Pending, waitMs = 0): void {
    clearTimeout(message.ackTimer);
    message.ackTimer = setTimeout(() => {
      if (this.#pending.includes(message) && !message.failed) {
        message.failed = true;
        this.#changed();
      }
    }, waitMs + (this.#options.ackTimeoutMs ?? 10_000));
  }

  #frame(frame: VisitorClientFrame): void {
    if (this.#socket?.readyState === 1 && this.#welcomed) this.#socket.send(JSON.stringify(frame));
  }

  #connect(): void {
    if (this.#socket || this.#stopped) return;
    const Impl = this.#options.WebSocketImpl ?? WebSocket;
    const socket = new Impl(this.#options.socketUrl);
    this.#socket = socket;
    this.#welcomed = false;
    this.#setStatus('connecting');
    socket.onopen = () => {
      const token = this.#options.tokens.read();
      this.#greetedWithToken = Boolean(token);
      const hello: VisitorClientFrame = {
        type: 'hello',
        token,
        sinceSeq: this.#caughtUpTo(),
        page: this.#options.page?.(),
        claim: token ? undefined : this.#claim,
      };
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = (event) => this.#receive(JSON.parse(String(event.data)) as VisitorServerFrame);
    // A failed connect is followed by close, where reconnecting is handled.
    socket.onerror = () => {};
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      // A server that closed us with "restarting" is back in seconds: keep retrying every 1–2 s
      // instead of backing off to 15 s, so the visitor is online again soon after it is.
      if (event.code === SERVICE_RESTART_CLOSE_CODE) this.#maxBackoff = 2_000;
      this.#socket = null;
      this.#welcomed = false;
      const wanted = Boolean(this.#options.tokens.read()) || this.#hasQueued() || this.#listening;
      this.#setStatus(wanted ? 'offline' : 'idle');
      if (wanted) this.#scheduleReconnect();
    };
  }

  #saveOutbox(): void {
    this.#options.outbox?.save({
      claim: this.#claim,
      messages: this.#pending.map(({ clientId, body, createdAt }) => ({ clientId, body, createdAt })),
    });
  }

  /** Resends everything still unacknowledged, oldest first (the server drops duplicates), unless told to wait. */
  #flush(): void {
    if (this.#pause) return;
    for (const message of this.#pending) {
      if (message.queued) this.#frame({ type: 'send', clientId: message.clientId, body: message.body });
    }
  }

  /**
   * The server refused a message for rate: keep everything pending (not failed: nothing is lost
   * and nobody needs to press Retry) and send it all again, in order, once the wait is over.
   */
  #wait(ms: number): void {
    clearTimeout(this.#pause);
    for (const message of this.#pending) this.#armAckTimer(message, ms);
    this.pausedFor = ms > 3_000 ? Math.ceil(ms / 1000) : 0;
    this.#pause = setTimeout(() => {
      this.#pause = undefined;
      this.pausedFor = 0;
      this.#flush();
      this.#changed();
    }, ms);
  }

  #hasQueued(): boolean {
    return this.#pending.some((p) => p.queued) || this.#uploads.length > 0;
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    // Exponential backoff with jitter, so a server restart is not met by every widget at once.
    const delay = Math.min(this.#maxBackoff, 500 * 2 ** this.#attempts++) * (0.5 + Math.random() / 2);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #receive(frame: VisitorServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        if (frame.forget) this.#options.tokens.clear();
        this.#welcomed = true;
        this.#attempts = 0;
        this.#maxBackoff = MAX_BACKOFF_MS;
        this.seenUpTo = Math.max(this.seenUpTo, frame.seenUpToSeq);
        this.#known = frame.known;
        this.#storedEmail = frame.email;
        this.agentsOnline = frame.agentsOnline;
        this.team = frame.team;
        this.settings = frame.settings;
        for (const message of frame.history) this.#confirm(message);
        this.#setStatus('online');
        if (this.#identity) this.#frame({ type: 'identify', ...this.#identity });
        this.#flush();
        for (const upload of this.#uploads) this.#upload(upload);
        // A forgotten visitor with nothing to say keeps no socket open (nothing exists for them yet),
        // unless the panel is open and wants to hear whether agents are online.
        if (!frame.known && !this.#hasQueued() && !this.#listening) this.#socket?.close();
        break;
      case 'identity':
        this.#greetedWithToken = true;
        this.#setToken(frame.token);
        break;
      case 'ack':
        this.#confirm(frame.message);
        break;
      case 'message':
        this.#confirm(frame.message);
        if (frame.message.author === 'agent') this.#showAgentTyping(null);
        break;
      case 'typing':
        this.#showAgentTyping(frame.agentName);
        break;
      case 'agentsOnline':
        this.agentsOnline = frame.online;
        break;
      case 'team':
        this.team = frame.team;
        break;
      case 'settings':
        this.settings = frame.settings;
        break;
      case 'identified':
        this.#storedEmail = frame.email;
        break;
      case 'error': {
        const rejected = this.#pending.find((p) => p.clientId === frame.clientId);
        if (frame.code === 'rate_limited') {
          // A refused identify (no clientId) goes again with the next connection, as after any drop.
          if (rejected) this.#wait(frame.retryAfterMs ?? 1000);
        } else if (rejected) {
          rejected.failed = true;
          // Our fault (internal): resend with the next connection. Invalid message: wait for Retry.
          rejected.queued = frame.code === 'internal';
        } else if (frame.field === 'email' && this.#identity) {
          // The address was refused: stop resending it, and say why under the form.
          this.emailError = frame.message;
          delete this.#identity.email;
        }
        break;
      }
    }
    this.#changed();
  }

  /** A stored message: show it once, and retire the pending copy it replaces. */
  #confirm(message: ChatMessage): void {
    this.#confirmed.set(message.id, message);
    // An upload's message can come over the socket before its own HTTP answer: show it once.
    this.#uploads = this.#uploads.filter((u) => u.clientId !== message.clientId);
    const settled = message.clientId ? this.#pending.find((p) => p.clientId === message.clientId) : undefined;
    if (!settled) return;
    clearTimeout(settled.ackTimer);
    this.#pending = this.#pending.filter((p) => p !== settled);
    this.#saveOutbox();
  }

  #setStatus(status: LinkStatus): void {
    this.status = status;
    this.#changed();
  }

  #changed(): void {
    this.#options.onChange();
  }
}
