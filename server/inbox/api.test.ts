// The inbox's JSON API over real HTTP: sign-in, setup, CSRF, validation, listing and replying.
import { afterEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../../shared/limits';
import type { ConversationDetail, ConversationPage, SessionView } from '../../shared/protocol';
import { ADMIN, AgentSession, connectVisitor, startTestParley, type TestParley } from '../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${parley.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: parley.url, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function visitorWrites(body: string, clientId: string) {
  const { client } = await connectVisitor(parley);
  client.send({ type: 'send', clientId, body });
  const ack = await client.next('ack');
  return { client, conversationId: ack.message.conversationId };
}

describe('first admin', () => {
  it('offers setup on an empty database, once', async () => {
    parley = await startTestParley({ admin: null });
    const before = (await (await fetch(`${parley.url}/api/session`)).json()) as SessionView;
    expect(before).toMatchObject({ agent: null, setupRequired: true });

    const created = await post('/api/setup', { email: 'Grace@Example.com', name: 'Grace', password: 'long enough' });
    expect(created.status).toBe(201);
    expect(created.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(created.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect(((await created.json()) as SessionView).agent).toMatchObject({ email: 'grace@example.com', role: 'admin' });

    const again = await post('/api/setup', { email: 'mallory@example.com', name: 'M', password: 'long enough' });
    expect(again.status).toBe(409);
    const after = (await (await fetch(`${parley.url}/api/session`)).json()) as SessionView;
    expect(after.setupRequired).toBe(false);
  });

  it('rejects a short password with a JSON explanation', async () => {
    parley = await startTestParley({ admin: null });
    const res = await post('/api/setup', { email: 'grace@example.com', name: 'Grace', password: 'short' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'Use at least 8 characters' });
  });
});

describe('sign-in', () => {
  it('accepts the admin from the environment, case-insensitively by email', async () => {
    parley = await startTestParley();
    const res = await post('/api/session', { email: ADMIN.email.toUpperCase(), password: ADMIN.password });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    parley = await startTestParley();
    const res = await post('/api/session', { email: ADMIN.email, password: 'nope' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Wrong email or password' });
  });

  it('refuses a sign-in posted from another site', async () => {
    parley = await startTestParley();
    const res = await fetch(`${parley.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    expect(res.status).toBe(403);
  });

  it('answers malformed JSON with 400, not a crash', async () => {
    parley = await startTestParley();
    const res = await post('/api/session', '{"email":');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Body must be JSON' });
  });
});

describe('conversations API', () => {
  it('needs a session', async () => {
    parley = await startTestParley();
    const res = await fetch(`${parley.url}/api/conversations`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Sign in first' });
  });

  it('refuses a reply without the CSRF token, and stores nothing', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const { conversationId } = await visitorWrites('hello', 'csrf-test-msg');
    const res = await fetch(`${parley.url}/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { cookie: agent.cookie, origin: parley.url, 'content-type': 'application/json', [CSRF_HEADER]: 'wrong' },
      body: JSON.stringify({ body: 'sneaky' }),
    });
    expect(res.status).toBe(403);
    const detail = (await (await agent.request(`/api/conversations/${conversationId}`)).json()) as ConversationDetail;
    expect(detail.messages.map((m) => m.body)).toEqual(['hello']);
  });

  it('lists conversations newest activity first, paged by cursor', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    for (let i = 1; i <= 5; i++) await visitorWrites(`visitor ${i}`, `list-msg-${i}`);

    const first = (await (await agent.request('/api/conversations?limit=2')).json()) as ConversationPage;
    expect(first.conversations.map((c) => c.lastMessagePreview)).toEqual(['visitor 5', 'visitor 4']);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (await agent.request(`/api/conversations?limit=2&cursor=${first.nextCursor}`)).json()) as ConversationPage;
    expect(second.conversations.map((c) => c.lastMessagePreview)).toEqual(['visitor 3', 'visitor 2']);
    const third = (await (await agent.request(`/api/conversations?limit=2&cursor=${second.nextCursor}`)).json()) as ConversationPage;
    expect(third.conversations.map((c) => c.lastMessagePreview)).toEqual(['visitor 1']);
    expect(third.nextCursor).toBeNull();
  });

  it('rejects bad query parameters and unknown ids with JSON errors', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    expect((await agent.request('/api/conversations?limit=100000')).status).toBe(400);
    expect((await agent.request('/api/conversations?cursor=DROP')).status).toBe(400);
    const missing = await agent.request('/api/conversations/999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'No such conversation' });
    expect((await agent.request('/api/conversations/abc')).status).toBe(404);
    expect((await agent.request('/api/nothing-here')).status).toBe(404);
  });

  it('bounds replies at 4,000 characters and refuses empty ones', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const { conversationId } = await visitorWrites('hi', 'bounds-msg-1');
    const path = `/api/conversations/${conversationId}/messages`;
    expect((await agent.request(path, { method: 'POST', body: { body: 'x'.repeat(4001) } })).status).toBe(400);
    expect((await agent.request(path, { method: 'POST', body: { body: '   ' } })).status).toBe(400);
    expect((await agent.request(path, { method: 'POST', body: { body: 'x'.repeat(4000) } })).status).toBe(201);
  });

  it('never deletes a conversation', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const { conversationId } = await visitorWrites('keep me', 'keep-msg-1');
    const res = await agent.request(`/api/conversations/${conversationId}`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect((await agent.request(`/api/conversations/${conversationId}`)).status).toBe(200);
  });

  it('stores message text as typed and serves it as JSON, never as HTML', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const hostile = '<img src=x onerror=alert(1)> & "quotes"';
    const { conversationId } = await visitorWrites(hostile, 'hostile-msg-1');
    const res = await agent.request(`/api/conversations/${conversationId}`);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await res.json()) as ConversationDetail).messages[0]?.body).toBe(hostile);
  });

  it('keeps conversations out of every cache, and out of other sites', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const { conversationId } = await visitorWrites('private', 'private-msg-1');
    for (const path of [`/api/conversations/${conversationId}`, '/api/conversations', '/api/conversations/999999']) {
      const res = await agent.request(path);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('refuses a request body over the limit with 413, and still serves reads', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const { conversationId } = await visitorWrites('hello', 'limit-msg-1');
    const res = await agent.request(`/api/conversations/${conversationId}/reply`, {
      method: 'POST',
      body: { body: 'x'.repeat(100_000) },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'Body too large' });
    expect((await agent.request(`/api/conversations/${conversationId}`)).status).toBe(200);
  });

  it('ends the session on sign-out', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    expect((await agent.request('/api/session', { method: 'DELETE' })).status).toBe(204);
    expect((await agent.request('/api/conversations')).status).toBe(401);
  });
});

describe('agent socket', () => {
  it('refuses a socket without a session or from another origin', async () => {
    parley = await startTestParley();
    const agent = await AgentSession.signIn(parley);
    const { WebSocket } = await import('ws');
    const statusOf = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${parley.port}/ws/agent`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
    expect(await statusOf({ origin: parley.url })).toBe(401);
    expect(await statusOf({ origin: 'https://evil.example', cookie: agent.cookie })).toBe(401);
  });
});
