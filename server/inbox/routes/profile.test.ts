// Status, name and picture over real HTTP and real sockets: who counts as "agent online" for the widget,
// the team news agents and widgets hear, and how an uploaded picture is checked and served.
import { afterEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../../../shared/limits';
import type { SessionView, TeamMember } from '../../../shared/protocol';
import { AgentSession, connectVisitor, startTestParley, type AgentClient, type TestParley } from '../../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

const GRACE = { email: 'grace@example.com', password: 'amazing grace', name: 'Grace Hopper' };

/** Ada (the admin) and Grace, both signed in. */
async function twoAgents() {
  parley = await startTestParley();
  const ada = await AgentSession.signIn(parley);
  expect((await ada.request('/api/agents', { method: 'POST', body: { ...GRACE, role: 'agent' } })).status).toBe(201);
  const grace = await AgentSession.signIn(parley, GRACE);
  return { ada, grace };
}

const setStatus = (session: AgentSession, availability: string) =>
  session.request('/api/session/availability', { method: 'PUT', body: { availability } });

const availableNames = (team: TeamMember[]) => team.filter((m) => m.available).map((m) => m.name);

/** The next team frame on an inbox socket in which exactly these agents are available. */
const teamWith = (socket: AgentClient, names: string[]) =>
  socket.next('team', (f) => JSON.stringify(availableNames(f.team)) === JSON.stringify(names));

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 1, 2, 3]);

const upload = (session: AgentSession, bytes: Uint8Array, type: string) =>
  fetch(`${parley.url}/api/session/avatar`, {
    method: 'PUT',
    headers: { cookie: session.cookie, origin: parley.url, [CSRF_HEADER]: session.csrfToken, 'content-type': type },
    body: bytes,
  });

describe('availability', () => {
  it('keeps the widget online while one agent is Available, and asks for an email once both are Away', async () => {
    const { ada, grace } = await twoAgents();
    const adaInbox = await ada.openSocket();
    const graceInbox = await grace.openSocket();
    await teamWith(adaInbox, ['Ada', 'Grace Hopper']);
    const { client: widget, welcome } = await connectVisitor(parley);
    expect(welcome.agentsOnline).toBe(true);
    expect(welcome.team).toEqual([
      { name: 'Ada', avatarUrl: null },
      { name: 'Grace', avatarUrl: null },
    ]);

    expect(await (await setStatus(ada, 'away')).json()).toEqual({ availability: 'away' });
    expect(await widget.next('team')).toEqual({ type: 'team', team: [{ name: 'Grace', avatarUrl: null }] });
    await teamWith(graceInbox, ['Grace Hopper']);
    expect((await connectVisitor(parley)).welcome.agentsOnline).toBe(true);

    await setStatus(grace, 'away');
    expect(await widget.next('agentsOnline')).toEqual({ type: 'agentsOnline', online: false });
    expect(await widget.next('team')).toEqual({ type: 'team', team: [] });
    await teamWith(adaInbox, []);
    expect((await connectVisitor(parley)).welcome).toMatchObject({ agentsOnline: false, team: [] });

    await setStatus(grace, 'available');
    expect(await widget.next('agentsOnline')).toEqual({ type: 'agentsOnline', online: true });
    widget.close();
    adaInbox.close();
    graceInbox.close();
  });

  it('remembers Away across sign-ins: opening the inbox again does not put the agent online', async () => {
    parley = await startTestParley();
    const first = await AgentSession.signIn(parley);
    await setStatus(first, 'away');
    await first.request('/api/session', { method: 'DELETE' });

    const again = await AgentSession.signIn(parley);
    const session = (await (await again.request('/api/session')).json()) as SessionView;
    expect(session.agent?.availability).toBe('away');
    const inbox = await again.openSocket();
    const team = await inbox.next('team');
    expect(team.team).toEqual([{ id: 1, name: 'Ada', avatarUrl: null, available: false }]);
    expect((await connectVisitor(parley)).welcome.agentsOnline).toBe(false);
    inbox.close();
  });

  it('counts an Available agent with no inbox open as away', async () => {
    parley = await startTestParley();
    const ada = await AgentSession.signIn(parley);
    await setStatus(ada, 'available');
    expect((await connectVisitor(parley)).welcome.agentsOnline).toBe(false);
    expect(parley.hub.availableAgentIds()).toEqual([]);
  });

  it('answers by email by default while nobody is available, as the widget asked the visitor for an email', async () => {
    parley = await startTestParley();
    const ada = await AgentSession.signIn(parley);
    const { client: widget } = await connectVisitor(parley);
    widget.send({ type: 'identify', email: 'mia@example.com' });
    widget.send({ type: 'send', clientId: 'waiting-visitor', body: 'Anyone?' });
    const { message } = await widget.next('ack');
    const reply = async () => {
      const res = await ada.request(`/api/conversations/${message.conversationId}/messages`, { method: 'POST', body: { body: 'Hello!' } });
      return ((await res.json()) as { message: { channel: string } }).message.channel;
    };
    expect(await reply()).toBe('email'); // Ada has no inbox open: away by herself

    const inbox = await ada.openSocket();
    await widget.next('agentsOnline');
    expect(await reply()).toBe('chat');
    inbox.close();
    widget.close();
  });

  it('refuses a Status that is not Available or Away', async () => {
    parley = await startTestParley();
    const res = await setStatus(await AgentSession.signIn(parley), 'busy');
    expect(res.status).toBe(400);
  });
});

describe('name', () => {
  it('reaches the other agents and the widgets at once, as a first name for visitors', async () => {
    const { ada, grace } = await twoAgents();
    const adaInbox = await ada.openSocket();
    const graceInbox = await grace.openSocket();
    await teamWith(adaInbox, ['Ada', 'Grace Hopper']);
    const { client: widget } = await connectVisitor(parley);

    const res = await grace.request('/api/session/profile', { method: 'PUT', body: { name: '  Amazing Grace  ' } });
    expect(((await res.json()) as SessionView).agent).toMatchObject({ name: 'Amazing Grace', email: GRACE.email });
    await teamWith(adaInbox, ['Ada', 'Amazing Grace']);
    expect(await widget.next('team')).toEqual({
      type: 'team',
      team: [
        { name: 'Ada', avatarUrl: null },
        { name: 'Amazing', avatarUrl: null },
      ],
    });
    widget.close();
    adaInbox.close();
    graceInbox.close();
  });

  it('refuses an empty name and control characters', async () => {
    parley = await startTestParley();
    const ada = await AgentSession.signIn(parley);
    expect(await (await ada.request('/api/session/profile', { method: 'PUT', body: { name: '   ' } })).json()).toMatchObject({ error: 'Enter a name' });
    expect((await ada.request('/api/session/profile', { method: 'PUT', body: { name: 'Ada\u0007' } })).status).toBe(400);
  });
});

describe('team news', () => {
  it('tells every inbox when an admin adds or deactivates an agent', async () => {
    parley = await startTestParley();
    const ada = await AgentSession.signIn(parley);
    const inbox = await ada.openSocket();
    await inbox.next('team');
    const created = await ada.request('/api/agents', { method: 'POST', body: { ...GRACE, role: 'agent' } });
    const { agent } = (await created.json()) as { agent: { id: number } };
    const names = (team: TeamMember[]) => team.map((m) => m.name).join(', ');
    await inbox.next('team', (f) => names(f.team) === 'Ada, Grace Hopper');

    await ada.request(`/api/agents/${agent.id}/deactivate`, { method: 'POST' });
    await inbox.next('team', (f) => names(f.team) === 'Ada');
    inbox.close();
  });
});

describe('avatar', () => {
  it('serves an uploaded picture publicly as the image its bytes are, sandboxed and cached by version', async () => {
    parley = await startTestParley();
    const ada = await AgentSession.signIn(parley);
    const inbox = await ada.openSocket();
    const res = await upload(ada, PNG, 'image/png');
    expect(res.status).toBe(200);
    const { avatarUrl } = (await res.json()) as { avatarUrl: string };
    expect(avatarUrl).toMatch(/^\/api\/agents\/1\/avatar\?v=[0-9a-f]{16}$/);
    await inbox.next('team', (f) => f.team[0]?.avatarUrl === avatarUrl);
    // The widget runs on other sites: its URL names this server.
    // (It listens on 127.0.0.1, which it names localhost.)
    expect((await connectVisitor(parley)).welcome.team).toEqual([{ name: 'Ada', avatarUrl: `http://localhost:${parley.port}${avatarUrl}` }]);

    const picture = await fetch(`${parley.url}${avatarUrl}`); // no cookie: anyone may load it
    expect(picture.status).toBe(200);
    expect(new Uint8Array(await picture.arrayBuffer())).toEqual(PNG);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(picture.headers.get('x-content-type-options')).toBe('nosniff');
    expect(picture.headers.get('content-security-policy')).toContain('sandbox');
    expect(picture.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(picture.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${parley.url}/api/agents/1/avatar`)).headers.get('cache-control')).toBe('no-cache');

    expect((await ada.request('/api/session/avatar', { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${parley.url}${avatarUrl}`)).status).toBe(404);
    inbox.close();
  });

  it('refuses what is not a PNG, JPEG, WebP or GIF by its bytes, whatever the declared type, and anything over 1 MB', async () => {
    parley = await startTestParley();
    const ada = await AgentSession.signIn(parley);
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    expect((await upload(ada, html, 'image/png')).status).toBe(415);
    expect((await upload(ada, svg, 'image/svg+xml')).status).toBe(415);
    expect((await upload(ada, PNG, 'image/gif')).status).toBe(415);
    const huge = new Uint8Array(1024 * 1024 + 1);
    huge.set(PNG);
    const tooLarge = await upload(ada, huge, 'image/png');
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({ error: 'Use an image of at most 1 MB' });
    expect((await fetch(`${parley.url}/api/agents/1/avatar`)).status).toBe(404);
  });

  it('answers 404 for an agent without a picture, or no such agent', async () => {
    parley = await startTestParley();
    expect((await fetch(`${parley.url}/api/agents/1/avatar`)).status).toBe(404);
    expect((await fetch(`${parley.url}/api/agents/99/avatar`)).status).toBe(404);
    expect((await fetch(`${parley.url}/api/agents/x/avatar`)).status).toBe(404);
  });
});
