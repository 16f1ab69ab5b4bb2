// Settings → Widget over real HTTP and sockets: who may change it, what is refused, and how a
// save reaches widgets that are already open.
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError, WidgetSettings, WidgetSettingsView } from '../../../shared/protocol';
import { DARK_TEXT } from '../../../shared/widgetLook';
import { AgentSession, connectVisitor, FrameClient, startTestParley, visitorSocketUrl, type TestParley } from '../../testing';

let parley: TestParley;
afterEach(async () => {
  await parley.destroy();
});

async function current(session: AgentSession): Promise<WidgetSettings> {
  return ((await (await session.request('/api/settings/widget')).json()) as WidgetSettingsView).settings;
}

async function save(session: AgentSession, changes: Partial<WidgetSettings>) {
  return session.request('/api/settings/widget', { method: 'PUT', body: { ...(await current(session)), ...changes } });
}

async function agentSession(parley: TestParley, admin: AgentSession) {
  const credentials = { email: 'linus@example.com', password: 'a long password', name: 'Linus' };
  await admin.request('/api/agents', { method: 'POST', body: credentials });
  return AgentSession.signIn(parley, credentials);
}

describe('/api/settings/widget', () => {
  it('shows every agent the defaults until an admin saves', async () => {
    parley = await startTestParley();
    const admin = await AgentSession.signIn(parley);
    const linus = await agentSession(parley, admin);
    const view = (await (await linus.request('/api/settings/widget')).json()) as WidgetSettingsView;
    expect(view).toMatchObject({
      settings: { title: 'Chat with us', color: '#4f46e5', position: 'right', hours: null, allowedOrigins: [] },
      textColor: '#ffffff',
      envAllowedOrigins: null,
      openNow: true,
    });
  });

  it('lets only admins change it, with the CSRF token', async () => {
    parley = await startTestParley();
    const admin = await AgentSession.signIn(parley);
    const linus = await agentSession(parley, admin);
    const refused = await save(linus, { title: 'Mine now' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ApiError).error).toBe('Only admins can change the widget');

    const withoutCsrf = await fetch(`${parley.url}/api/settings/widget`, {
      method: 'PUT',
      headers: { cookie: admin.cookie, origin: parley.url, 'content-type': 'application/json' },
      body: JSON.stringify(await current(admin)),
    });
    expect(withoutCsrf.status).toBe(403);
    expect((await current(admin)).title).toBe('Chat with us');
  });

  it('pairs a light colour with dark text, and refuses one no text is readable on, naming the ratio', async () => {
    parley = await startTestParley();
    const admin = await AgentSession.signIn(parley);
    const yellow = await save(admin, { color: '#FACC15' });
    expect(yellow.status).toBe(200);
    expect(await yellow.json()).toMatchObject({ settings: { color: '#facc15' }, textColor: DARK_TEXT });

    const grey = await save(admin, { color: '#7a7a7a' });
    expect(grey.status).toBe(400);
    const error = (await grey.json()) as ApiError;
    expect(error.error).toMatch(/^Text on #7a7a7a reaches only 4\.\d\d:1 contrast/);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'color' })]);
    expect((await current(admin)).color).toBe('#facc15');
  });

  it('refuses what is not a setting: an unknown zone, hours backwards, a path in an origin, overlong text', async () => {
    parley = await startTestParley();
    const admin = await AgentSession.signIn(parley);
    const hours = { mon: { from: '17:00', to: '09:00' }, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null };
    const cases: [Partial<WidgetSettings> | Record<string, unknown>, string][] = [
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ hours }, 'hours.mon.to'],
      [{ allowedOrigins: ['https://shop.example/cart'] }, 'allowedOrigins.0'],
      [{ title: 'x'.repeat(61) }, 'title'],
      [{ emailPromptDelaySeconds: -1 }, 'emailPromptDelaySeconds'],
      [{ position: 'top' }, 'position'],
    ];
    for (const [changes, path] of cases) {
      const res = await save(admin, changes as Partial<WidgetSettings>);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as ApiError).issues?.[0]?.path).toBe(path);
    }
  });

  it('greets widgets with the settings and reaches widgets already open when an admin saves', async () => {
    parley = await startTestParley();
    const admin = await AgentSession.signIn(parley);
    const { client, welcome } = await connectVisitor(parley);
    expect(welcome.settings).toMatchObject({ title: 'Chat with us', open: true, askEmailAfterMs: 60_000 });

    expect((await save(admin, { title: 'Talk to Acme', color: '#facc15', position: 'left', emailPromptDelaySeconds: 5 })).status).toBe(200);
    const frame = await client.next('settings');
    expect(frame.settings).toEqual({
      title: 'Talk to Acme',
      subtitle: 'We usually reply within a few minutes',
      greeting: 'Hi there! Ask us anything, we are happy to help.',
      color: '#facc15',
      textColor: DARK_TEXT,
      position: 'left',
      open: true,
      outsideHoursText: "We're away — leave your email and we'll reply",
      askEmailAfterMs: 5_000,
    });
    client.close();
  });

  it('tells widgets outside business hours that they are closed, with the text to show', async () => {
    parley = await startTestParley();
    const admin = await AgentSession.signIn(parley);
    const closedAllWeek = { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null };
    await save(admin, { hours: closedAllWeek, outsideHoursText: 'Back on Monday' });
    const { welcome } = await connectVisitor(parley);
    expect(welcome.settings).toMatchObject({ open: false, outsideHoursText: 'Back on Monday' });
  });

  it('applies allowed origins to widget sockets at once, unless PARLEY_ALLOWED_ORIGINS is set', async () => {
    parley = await startTestParley();
    const admin = await AgentSession.signIn(parley);
    await save(admin, { allowedOrigins: ['https://shop.example/'] });
    expect((await current(admin)).allowedOrigins).toEqual(['https://shop.example']);
    await expect(FrameClient.open(visitorSocketUrl(parley), { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    (await FrameClient.open(visitorSocketUrl(parley), { origin: 'https://shop.example' })).close();
    await parley.destroy();

    parley = await startTestParley({ allowedOrigins: ['https://env.example'] });
    const again = await AgentSession.signIn(parley);
    await save(again, { allowedOrigins: ['https://shop.example'] });
    expect(((await (await again.request('/api/settings/widget')).json()) as WidgetSettingsView).envAllowedOrigins).toEqual([
      'https://env.example',
    ]);
    await expect(FrameClient.open(visitorSocketUrl(parley), { origin: 'https://shop.example' })).rejects.toThrow(/403/);
  });
});
