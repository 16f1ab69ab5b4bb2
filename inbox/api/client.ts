// The inbox's only way to the JSON API: same-origin fetch with JSON bodies, the session's CSRF token
// on every state-changing call, and failures thrown as ApiRequestError carrying the server's message.
import type { z } from 'zod';
import { CSRF_HEADER } from '../../shared/limits';
import type {
  AgentPreferences,
  AgentRecord,
  AgentView,
  ApiError,
  AssignedFilter,
  Availability,
  ChatMessage,
  ConversationDetail,
  ConversationPage,
  ConversationSummary,
  Note,
  OutboxPage,
  replyBody,
  SavedResponse,
  SearchResult,
  SessionView,
  TeamMember,
  transcriptBody,
  UploadedFile,
  WidgetSettings,
  WidgetSettingsView,
} from '../../shared/protocol';

export const PAGE_SIZE = 50;

/** Which conversations the list shows. */
export type StatusFilter = 'open' | 'complete' | 'all';

export interface SavedResponseList {
  savedResponses: SavedResponse[];
  /** Every category in use, sorted. */
  categories: string[];
}

export type SavedResponseInput = Pick<SavedResponse, 'title' | 'body' | 'category'>;
export type NewAgentInput = Pick<AgentRecord, 'name' | 'email' | 'role'> & { password: string };
/** A reply as the server parses it: the text, and where it goes (Messenger's tag when it needs one). */
export type ReplyInput = z.input<typeof replyBody>;
/** "Send chat thread": the transcript by email, with the agent's note on top. */
export type TranscriptInput = z.input<typeof transcriptBody>;

export class ApiRequestError extends Error {
  /** HTTP status; 0 when the server could not be reached at all. */
  constructor(
    message: string,
    readonly status: number,
    /** On 429 and 503: how long the server asked us to wait. */
    readonly retryAfterSeconds: number | null = null,
    /** On 400: each refused field (its path, e.g. 'hours.mon.to') and why, to show beside it. */
    readonly issues: NonNullable<ApiError['issues']> = [],
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

// The token belongs to the session, which the whole page shares: App sets it on sign-in and clears it
// on sign-out, so no component has to thread it through to every call.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function errorMessage(data: unknown, status: number): string {
  if (data && typeof data === 'object' && typeof (data as ApiError).error === 'string') return (data as ApiError).error;
  return `The server answered ${status}. Try again in a moment.`;
}

/** The wait a refusal asks for: the JSON's figure, else the Retry-After header (in seconds). */
function retryAfterSeconds(data: unknown, response: Response): number | null {
  const fromBody = data && typeof data === 'object' ? (data as ApiError).retryAfterSeconds : undefined;
  const seconds = typeof fromBody === 'number' ? fromBody : Number(response.headers.get('Retry-After') ?? Number.NaN);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : null;
}

/** `body` goes as JSON, or as itself when it is a file (an avatar upload: its type is the file's). */
async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const file = body instanceof Blob ? body : null;
  if (body !== undefined) headers['Content-Type'] = file ? file.type : 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: file ?? JSON.stringify(body) }),
    });
  } catch {
    throw new ApiRequestError('Cannot reach the server. Check your connection and try again.', 0);
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const issues = data && typeof data === 'object' && Array.isArray((data as ApiError).issues) ? (data as ApiError).issues : [];
    throw new ApiRequestError(errorMessage(data, response.status), response.status, retryAfterSeconds(data, response), issues);
  }
  return data as T;
}

/**
 * A file for the next reply, uploaded with XMLHttpRequest because fetch reports no upload progress;
 * `onProgress` gets 0–1. Resolves with its id for the reply, rejects like `request`.
 */
function uploadFile(file: File, onProgress: (done: number) => void): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/uploads?name=${encodeURIComponent(file.name || 'file')}`);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader(CSRF_HEADER, csrfToken);
    xhr.upload.onprogress = (e) => onProgress(e.total ? e.loaded / e.total : 0);
    xhr.onloadend = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // No JSON (a proxy's page, or no answer): the status says what happened.
      }
      if (xhr.status === 201) resolve(data as UploadedFile);
      else if (xhr.status === 0) reject(new ApiRequestError('Cannot reach the server. Check your connection and try again.', 0));
      else reject(new ApiRequestError(errorMessage(data, xhr.status), xhr.status));
    };
    xhr.send(file);
  });
}

/** "Show original": the whole text of the email a message came from, and where to download its source. */
export interface EmailOriginalText {
  text: string;
  /** Null when the source was not kept. */
  sourceUrl: string | null;
}

async function emailOriginal(messageId: number): Promise<EmailOriginalText> {
  const path = `/api/messages/${messageId}/original`;
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'text/plain' }, credentials: 'same-origin' });
  } catch {
    throw new ApiRequestError('Cannot reach the server. Check your connection and try again.', 0);
  }
  if (!response.ok) {
    const data: unknown = await response.json().catch(() => null);
    throw new ApiRequestError(errorMessage(data, response.status), response.status);
  }
  const kept = response.headers.get('X-Parley-Raw-Source') === 'kept';
  return { text: await response.text(), sourceUrl: kept ? `${path}/source` : null };
}

export const api = {
  session: () => request<SessionView>('GET', '/api/session'),
  signIn: (email: string, password: string) => request<SessionView>('POST', '/api/session', { email, password }),
  setup: (input: { name: string; email: string; password: string }) => request<SessionView>('POST', '/api/setup', input),
  signOut: () => request<void>('DELETE', '/api/session'),
  /** Saves the given choices; answers with all of them as now stored. */
  savePreferences: (patch: Partial<AgentPreferences>) =>
    request<{ preferences: AgentPreferences }>('PUT', '/api/session/preferences', patch),
  conversations: (status: StatusFilter, cursor?: string | null, assigned: AssignedFilter = 'anyone') => {
    const query = new URLSearchParams({ status, limit: String(PAGE_SIZE) });
    if (assigned !== 'anyone') query.set('assigned', assigned);
    if (cursor) query.set('cursor', cursor);
    return request<ConversationPage>('GET', `/api/conversations?${query}`);
  },
  conversation: (id: number) => request<ConversationDetail>('GET', `/api/conversations/${id}`),
  /** `read` marks it read for every agent; `complete` and `reopen` set its status. */
  conversationAction: (id: number, action: 'read' | 'complete' | 'reopen') =>
    request<{ conversation: ConversationSummary }>('POST', `/api/conversations/${id}/${action}`),
  /** Gives the conversation to an agent, or to nobody (null). */
  assign: (id: number, agentId: number | null) =>
    request<{ conversation: ConversationSummary }>('PUT', `/api/conversations/${id}/assignee`, { agentId }),
  addNote: (conversationId: number, body: string) =>
    request<{ note: Note }>('POST', `/api/conversations/${conversationId}/notes`, { body }),
  team: () => request<{ team: TeamMember[] }>('GET', '/api/team'),
  reply: (conversationId: number, input: ReplyInput) =>
    request<{ message: ChatMessage }>('POST', `/api/conversations/${conversationId}/messages`, input),
  transcript: (conversationId: number, input: TranscriptInput) =>
    request<{ message: ChatMessage }>('POST', `/api/conversations/${conversationId}/transcript`, input),
  outbox: (cursor?: string | null) =>
    request<OutboxPage>('GET', cursor ? `/api/outbox?${new URLSearchParams({ cursor })}` : '/api/outbox'),
  emailOriginal,
  search: (q: string) => request<{ results: SearchResult[] }>('GET', `/api/search?${new URLSearchParams({ q })}`),
  savedResponses: () => request<SavedResponseList>('GET', '/api/saved-responses'),
  createSavedResponse: (input: SavedResponseInput) =>
    request<{ savedResponse: SavedResponse }>('POST', '/api/saved-responses', input),
  updateSavedResponse: (id: number, input: SavedResponseInput) =>
    request<{ savedResponse: SavedResponse }>('PATCH', `/api/saved-responses/${id}`, input),
  deleteSavedResponse: (id: number) => request<void>('DELETE', `/api/saved-responses/${id}`),
  agents: () => request<{ agents: AgentRecord[] }>('GET', '/api/agents'),
  createAgent: (input: NewAgentInput) => request<{ agent: AgentRecord }>('POST', '/api/agents', input),
  setAgentActive: (id: number, active: boolean) =>
    request<{ agent: AgentRecord }>('POST', `/api/agents/${id}/${active ? 'activate' : 'deactivate'}`),
  setAvailability: (availability: Availability) =>
    request<{ availability: Availability }>('PUT', '/api/session/availability', { availability }),
  setName: (name: string) => request<{ agent: AgentView }>('PUT', '/api/session/profile', { name }),
  uploadFile,
  uploadAvatar: (file: Blob) => request<{ avatarUrl: string }>('PUT', '/api/session/avatar', file),
  removeAvatar: () => request<void>('DELETE', '/api/session/avatar'),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('PUT', '/api/session/password', { currentPassword, newPassword }),
  updateAgent: (id: number, changes: Partial<Pick<AgentRecord, 'name' | 'role'>>) =>
    request<{ agent: AgentRecord }>('PATCH', `/api/agents/${id}`, changes),
  resetAgentPassword: (id: number, password: string) =>
    request<{ agent: AgentRecord }>('POST', `/api/agents/${id}/password`, { password }),
  widgetSettings: () => request<WidgetSettingsView>('GET', '/api/settings/widget'),
  saveWidgetSettings: (settings: WidgetSettings) => request<WidgetSettingsView>('PUT', '/api/settings/widget', settings),
};

/** The text to show for any failure: ours carry the server's words, anything else gets a generic line. */
export function describeError(err: unknown): string {
  return err instanceof ApiRequestError ? err.message : 'Something went wrong. Try again.';
}

export const isSignedOutError = (err: unknown): boolean => err instanceof ApiRequestError && err.status === 401;
