// Sessions over real HTTP and real sockets: the sign-in throttle, the setup race, sign-out and
// password changes closing the right inbox sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_PREFERENCES, type ApiError, type SessionView } from '../../../shared/protocol';
import { ADMIN, AgentSession, connectVisitor, startTestParley, type TestParley } from '../../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

const ATTACKER = '203.0.113.9';
const AGENT_HOME = '198.51.100.7';

/** A clock the test moves by hand: lockouts neither expire nor need waiting for. */
const frozenClock = () => {
  const clock = { now: Date.UTC(2026, 0, 5, 9) };
  return { clock, now: () => clock.now };
};

/** Behind one trusted proxy, X-Forwarded-For names the client: two addresses from one test. */
const signIn = (from: string, password: string, email = ADMIN.email) =>
  fetch(`${parley.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: parley.url, 'x-forwarded-for': from },
    body: JSON.stringify({ email, password }),
  });

describe('sign-in throttle', () => {
  it('refuses the sixth try with 429, Retry-After and a JSON wait, before checking the password', async () => {
    const { clock, now } = frozenClock();
    parley = await startTestParley({ trustProxy: 1, now });
    for (let i = 0; i < 5; i++) expect((await signIn(ATTACKER, `guess ${i}`)).status).toBe(401);

    const refused = await signIn(ATTACKER, ADMIN.password); // even the right password: it is not checked
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: 'Too many sign-in attempts; try again in 1 second', retryAfterSeconds: 1 } satisfies ApiError);

    clock.now += 1_000;
    expect((await signIn(ATTACKER, 'guess 6')).status).toBe(401);
    const longer = await signIn(ATTACKER, 'guess 7');
    expect(longer.status).toBe(429);
    expect(longer.headers.get('retry-after')).toBe('2');
  });

  it('lets the real agent sign in from their own address while an attacker is locked out', async () => {
    parley = await startTestParley({ trustProxy: 1, now: frozenClock().now });
    for (let i = 0; i < 30; i++) await signIn(ATTACKER, `guess ${i}`, i % 2 ? ADMIN.email : `other${i}@example.com`);
    expect((await signIn(ATTACKER, ADMIN.password)).status).toBe(429);

    const agent = await signIn(AGENT_HOME, ADMIN.password);
    expect(agent.status).toBe(200);
    expect(((await agent.json()) as SessionView).agent?.email).toBe(ADMIN.email);
  });

  it('locks out an address guessing across many emails', async () => {
    parley = await startTestParley({ trustProxy: 1, now: frozenClock().now });
    for (let i = 0; i < 25; i++) expect((await signIn(ATTACKER, 'guess', `user${i}@example.com`)).status).toBe(401);
    expect((await signIn(ATTACKER, 'guess', 'someone-new@example.com')).status).toBe(429);
    expect((await signIn(AGENT_HOME, 'guess', 'someone-new@example.com')).status).toBe(401);
  });

  it('starts counting again after a right password', async () => {
    parley = await startTestParley({ trustProxy: 1, now: frozenClock().now });
    for (let i = 0; i < 4; i++) await signIn(AGENT_HOME, 'typo');
    expect((await signIn(AGENT_HOME, ADMIN.password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(AGENT_HOME, 'typo')).status).toBe(401);
  });
});

describe('first admin', () => {
  it('creates exactly one admin from five concurrent setups; the others get 409', async () => {
    parley = await startTestParley({ admin: null });
    const setups = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((who) =>
        fetch(`${parley.url}/api/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: parley.url },
          body: JSON.stringify({ email: `${who}@example.com`, name: who, password: 'long enough' }),
        }),
      ),
    );
    expect(setups.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const winner = setups.find((r) => r.status === 201)!;
    const cookie = (winner.headers.get('set-cookie') ?? '').split(';')[0]!;
    const agents = await fetch(`${parley.url}/api/agents`, { headers: { cookie } });
    expect(((await agents.json()) as { agents: unknown[] }).agents).toHaveLength(1);
  });
});

describe('sign-out', () => {
  it('closes that session’s inbox socket at once, and no other session’s', async () => {
    parley = await startTestParley();
    const laptop = await AgentSession.signIn(parley);
    const phone = await AgentSession.signIn(parley);
    const laptopSocket = await laptop.openSocket();
    const phoneSocket = await phone.openSocket();

    expect((await laptop.request('/api/session', { method: 'DELETE' })).status).toBe(204);
    await laptopSocket.next('signedOut');
    expect(await laptopSocket.closed).toBe(4001);

    // The phone still hears a visitor's message, and can still use the API.
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'after-sign-out', body: 'still there?' });
    await phoneSocket.next('message', (f) => f.message.body === 'still there?');
    expect(phoneSocket.closeCode).toBeNull();
    expect((await phone.request('/api/conversations')).status).toBe(200);
    client.close();
    phoneSocket.close();
  });
});

describe('password change', () => {
  const change = (session: AgentSession, currentPassword: string, newPassword: string) =>
    session.request('/api/session/password', { method: 'PUT', body: { currentPassword, newPassword } });

  it('ends the agent’s other sessions and closes their sockets, but keeps the current one', async () => {
    parley = await startTestParley();
    const here = await AgentSession.signIn(parley);
    const elsewhere = await AgentSession.signIn(parley);
    const hereSocket = await here.openSocket();
    const elsewhereSocket = await elsewhere.openSocket();

    expect((await change(here, ADMIN.password, 'a brand new password')).status).toBe(204);
    await elsewhereSocket.next('signedOut');
    expect(await elsewhereSocket.closed).toBe(4001);
    expect((await elsewhere.request('/api/conversations')).status).toBe(401);

    expect((await here.request('/api/conversations')).status).toBe(200);
    const { client } = await connectVisitor(parley);
    client.send({ type: 'send', clientId: 'after-change', body: 'hello again' });
    await hereSocket.next('message', (f) => f.message.body === 'hello again');
    expect(hereSocket.closeCode).toBeNull();

    await expect(AgentSession.signIn(parley)).rejects.toThrow('401');
    await AgentSession.signIn(parley, { ...ADMIN, password: 'a brand new password' });
    client.close();
    hereSocket.close();
  });

  it('refuses a wrong current password with 403, keeps the session, and is throttled like sign-in', async () => {
    parley = await startTestParley({ now: frozenClock().now });
    const session = await AgentSession.signIn(parley);
    const wrong = await change(session, 'not my password', 'a brand new password');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: 'Your current password is wrong' });
    for (let i = 0; i < 4; i++) await change(session, 'not my password', 'a brand new password');
    const refused = await change(session, ADMIN.password, 'a brand new password');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');

    // A wrong current password is not a reason to sign the agent out.
    expect((await session.request('/api/conversations')).status).toBe(200);
  });

  it('rejects a short new password with a JSON explanation', async () => {
    parley = await startTestParley();
    const session = await AgentSession.signIn(parley);
    const res = await change(session, ADMIN.password, 'short');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'Use at least 8 characters' });
  });
});

describe('the session cookie behind a TLS-terminating proxy', () => {
  it('is Secure when PARLEY_PUBLIC_URL is https, although the proxy forwards plain http', async () => {
    parley = await startTestParley({ publicUrl: 'https://chat.example.com' });
    const res = await fetch(`${parley.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://chat.example.com' },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/parley_session=[^;]+;.*\bSecure\b/i);
  });

  it('is not Secure on a plain-http Parley, where the browser would drop it', async () => {
    parley = await startTestParley();
    const res = await signIn(AGENT_HOME, ADMIN.password);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).not.toMatch(/\bSecure\b/i);
  });
});

describe('preferences', () => {
  const put = (session: AgentSession, body: unknown) => session.request('/api/session/preferences', { method: 'PUT', body });
  const sessionView = async (session: AgentSession) => (await (await session.request('/api/session')).json()) as SessionView;

  it('starts from the defaults, keeps each change per agent, and gives them to every browser they sign in from', async () => {
    parley = await startTestParley();
    const laptop = await AgentSession.signIn(parley);
    expect((await sessionView(laptop)).preferences).toEqual(DEFAULT_AGENT_PREFERENCES);

    const saved = await put(laptop, { desktopNotifications: true, notifyAbout: 'mine' });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ preferences: { ...DEFAULT_AGENT_PREFERENCES, desktopNotifications: true, notifyAbout: 'mine' } });
    expect((await put(laptop, { sound: true })).status).toBe(200);

    const phone = await AgentSession.signIn(parley);
    expect((await sessionView(phone)).preferences).toEqual({ ...DEFAULT_AGENT_PREFERENCES, desktopNotifications: true, sound: true, notifyAbout: 'mine' });
    const signInAnswer = await fetch(`${parley.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    expect(((await signInAnswer.json()) as SessionView).preferences.sound).toBe(true);
  });

  it('refuses unknown fields, wrong values and an empty change with 400, changing nothing', async () => {
    parley = await startTestParley();
    const session = await AgentSession.signIn(parley);
    for (const body of [{ notifyAbout: 'everything' }, { sound: 'yes' }, { sound: true, admin: true }, {}]) {
      const res = await put(session, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ApiError).error).toBeTruthy();
    }
    expect((await sessionView(session)).preferences).toEqual(DEFAULT_AGENT_PREFERENCES);
  });

  it('needs a session and the CSRF token', async () => {
    parley = await startTestParley();
    const anonymous = await fetch(`${parley.url}/api/session/preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: parley.url },
      body: JSON.stringify({ sound: true }),
    });
    expect(anonymous.status).toBe(401);
    const session = await AgentSession.signIn(parley);
    const noToken = await fetch(`${parley.url}/api/session/preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: parley.url, cookie: session.cookie },
      body: JSON.stringify({ sound: true }),
    });
    expect(noToken.status).toBe(403);
  });

  it('reads a damaged stored value field by field, falling back to each default', async () => {
    parley = await startTestParley();
    const session = await AgentSession.signIn(parley);
    parley.database.sqlite.prepare('update agents set preferences = ?').run(JSON.stringify({ sound: true, notifyAbout: 42, keyboardShortcuts: 'no' }));
    expect((await sessionView(session)).preferences).toEqual({ ...DEFAULT_AGENT_PREFERENCES, sound: true });
    parley.database.sqlite.prepare('update agents set preferences = ?').run('not json');
    expect((await sessionView(session)).preferences).toEqual(DEFAULT_AGENT_PREFERENCES);
    expect((await put(session, { notifyAbout: 'nothing' })).status).toBe(200);
    expect((await sessionView(session)).preferences).toEqual({ ...DEFAULT_AGENT_PREFERENCES, notifyAbout: 'nothing' });
  });
});
