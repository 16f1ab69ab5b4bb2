// The inbox's only way to the JSON API: same-origin fetch with JSON bodies, the session's CSRF token
// on every state-changing call, and failures thrown as ApiRequestError carrying the server's message.
import { CSRF_HEADER } from '../../../shared/limits';
import type {
  ApiError,
  ChatMessage,
  ConversationDetail,
  ConversationPage,
  SessionView,
} from '../../../shared/protocol';

export const PAGE_SIZE = 50;

export class ApiRequestError extends Error {
  /** HTTP status; 0 when the server could not be reached at all. */
  constructor(
    message: string,
    readonly status: number,
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

async function request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiRequestError('Cannot reach the server. Check your connection and try again.', 0);
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiRequestError(errorMessage(data, response.status), response.status);
  return data as T;
}

export const api = {
  session: () => request<SessionView>('GET', '/api/session'),
  signIn: (email: string, password: string) => request<SessionView>('POST', '/api/session', { email, password }),
  setup: (input: { name: string; email: string; password: string }) => request<SessionView>('POST', '/api/setup', input),
  signOut: () => request<void>('DELETE', '/api/session'),
  conversations: (cursor?: string | null) => {
    const query = new URLSearchParams({ status: 'all', limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    return request<ConversationPage>('GET', `/api/conversations?${query}`);
  },
  conversation: (id: number) => request<ConversationDetail>('GET', `/api/conversations/${id}`),
  reply: (conversationId: number, body: string, clientId: string) =>
    request<{ message: ChatMessage }>('POST', `/api/conversations/${conversationId}/messages`, { body, clientId }),
};

/** The text to show for any failure: ours carry the server's words, anything else gets a generic line. */
export function describeError(err: unknown): string {
  return err instanceof ApiRequestError ? err.message : 'Something went wrong. Try again.';
}

export const isSignedOutError = (err: unknown): boolean => err instanceof ApiRequestError && err.status === 401;
