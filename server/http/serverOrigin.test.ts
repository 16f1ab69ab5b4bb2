// Which address Parley believes is its own: the demo page's snippet, and which Origin headers the
// inbox API and the agent socket accept. A forged Host header or another site's page changes neither.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { embedSnippet } from '../../shared/embedSnippet';
import { AGENT_SOCKET_PATH, CSRF_HEADER } from '../../shared/limits';
import { AgentSession, FrameClient, returningVisitorToken, startTestParley, type TestParley } from '../testing';
import { ServerOrigin } from './serverOrigin';

let parley: TestParley;
let started: TestParley[] = [];
afterEach(async () => {
  await Promise.all(started.map((p) => p.destroy()));
  started = [];
});
const start = async (overrides: Parameters<typeof startTestParley>[0] = {}) => {
  parley = await startTestParley(overrides);
  started.push(parley);
  return parley;
};

/** GET / with a Host header of our choosing (fetch will not send a forged one). */
function demoPage(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: parley.port, path: '/', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

const scriptSources = (html: string) => [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);

describe('the demo page', () => {
  it('loads the widget from PARLEY_PUBLIC_URL, whatever Host the request names', async () => {
    await start({ publicUrl: 'https://chat.example.com' });
    expect(scriptSources(await demoPage('evil.example'))).toContain('https://chat.example.com/widget.js');
  });

  it('loads the widget from the address it listens on when PARLEY_PUBLIC_URL is unset', async () => {
    await start();
    const sources = scriptSources(await demoPage('evil.example:666'));
    expect(sources).toContain(`http://localhost:${parley.port}/widget.js`);
    expect(sources.join()).not.toContain('evil.example');
  });

  it('embeds the widget with the snippet the README gives site owners', async () => {
    await start({ publicUrl: 'https://chat.example.com' });
    const page = await demoPage('evil.example');
    for (const line of embedSnippet('https://chat.example.com').split('\n')) expect(page).toContain(line);
  });
});

describe('state-changing inbox API requests', () => {
  const saveResponse = (agent: AgentSession, headers: Record<string, string>) =>
    fetch(`${parley.url}/api/saved-responses`, {
      method: 'POST',
      headers: { cookie: agent.cookie, [CSRF_HEADER]: agent.csrfToken, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ title: 'Hours', body: 'We are open 9 to 5.', category: 'General' }),
    });
  const savedCount = () => (parley.database.sqlite.prepare('select count(*) from saved_responses').pluck().get() as number);

  it('are refused from another origin even with a valid session and CSRF token, and change nothing', async () => {
    await start();
    const agent = await AgentSession.signIn(parley);
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${parley.port + 1}`]) {
      const res = await saveResponse(agent, { origin });
      expect(res.status, origin).toBe(403);
    }
    expect(savedCount()).toBe(0);
  });

  it('pass from the server\'s own origin, and without an Origin header (curl, scripts)', async () => {
    await start();
    const agent = await AgentSession.signIn(parley);
    expect((await saveResponse(agent, { origin: `http://localhost:${parley.port}` })).status).toBe(201);
    expect((await saveResponse(agent, {})).status).toBe(201);
    expect(savedCount()).toBe(2);
  });

  it('accept only PARLEY_PUBLIC_URL\'s origin once it is set', async () => {
    await start({ publicUrl: 'https://chat.example.com/' });
    const agent = await AgentSession.signIn(parley).catch((err: Error) => err);
    expect(agent).toBeInstanceOf(Error); // AgentSession signs in from http://127.0.0.1:PORT: another origin now
    const signIn = await fetch(`${parley.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://chat.example.com' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
    });
    expect(signIn.status).toBe(200);
  });
});

describe('the agent socket', () => {
  it('opens from PARLEY_PUBLIC_URL\'s origin though the Host header names the internal address', async () => {
    await start({ publicUrl: 'https://chat.example.com' });
    const cookie = (await fetch(`${parley.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://chat.example.com' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
    })).headers.get('set-cookie')!.split(';')[0]!;
    const url = `ws://127.0.0.1:${parley.port}${AGENT_SOCKET_PATH}`;
    const feed = await FrameClient.open(url, { cookie, origin: 'https://chat.example.com' });
    feed.close();
    // The old rule (Origin's host equal to Host) would let this one in.
    await expect(FrameClient.open(url, { cookie, origin: `http://127.0.0.1:${parley.port}` })).rejects.toThrow(/401/);
  });
});

describe('ServerOrigin', () => {
  it('accepts every local address when listening on all interfaces, and only them', () => {
    const origin = new ServerOrigin(null, '0.0.0.0');
    origin.listening(3000);
    expect(origin.url).toBe('http://localhost:3000');
    expect(origin.accepts('http://127.0.0.1:3000')).toBe(true);
    expect(origin.accepts('http://[::1]:3000')).toBe(true);
    expect(origin.accepts('http://127.0.0.1:3001')).toBe(false);
    expect(origin.accepts('https://localhost:3000')).toBe(false);
  });

  it('names a default port as browsers do (no :80)', () => {
    const origin = new ServerOrigin(null, 'chat.internal');
    origin.listening(80);
    expect(origin.url).toBe('http://chat.internal');
    expect(origin.accepts('http://chat.internal')).toBe(true);
  });
});

describe('visitors', () => {
  it('are unaffected by PARLEY_PUBLIC_URL (the widget runs on other sites)', async () => {
    await start({ publicUrl: 'https://chat.example.com' });
    expect(await returningVisitorToken(parley)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
