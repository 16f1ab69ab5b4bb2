// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentRecord, AgentView, OutboxEmail, OutboxPage, SavedResponse } from '../../shared/protocol';
import { Settings } from './Settings';
import { json, mockApi, savedResponse, type ApiCall } from '../testing/testSupport';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const admin: AgentView = { id: 1, email: 'grace@example.com', name: 'Grace Hopper', role: 'admin' };
const agent: AgentView = { id: 2, email: 'linus@example.com', name: 'Linus', role: 'agent' };
const record = (a: AgentView, active = true): AgentRecord => ({ ...a, active, createdAt: 0 });

const noEmails: OutboxPage = { emails: [], nextCursor: null, transport: 'local' };

/** A server holding saved responses, agents and outbox pages (by cursor), answering the Settings APIs. */
function settingsServer(responses: SavedResponse[] = [], outbox: Record<string, OutboxPage> = { first: noEmails }) {
  const state = { responses, agents: [record(admin), record(agent), record({ ...agent, id: 3, name: 'Ada', email: 'ada@example.com' }, false)] };
  let nextId = 50;
  const api = mockApi((call: ApiCall) => {
    const { method, path } = call;
    const input = call.body as Record<string, string>;
    if (path === '/api/saved-responses' && method === 'GET') {
      return json({ savedResponses: state.responses, categories: [...new Set(state.responses.map((r) => r.category))].sort() });
    }
    if (path === '/api/saved-responses' && method === 'POST') {
      const created = savedResponse({ id: nextId++, ...input });
      state.responses.push(created);
      return json({ savedResponse: created }, 201);
    }
    const saved = /^\/api\/saved-responses\/(\d+)$/.exec(path);
    if (saved) {
      const id = Number(saved[1]);
      if (method === 'DELETE') {
        state.responses = state.responses.filter((r) => r.id !== id);
        return { status: 204 };
      }
      state.responses = state.responses.map((r) => (r.id === id ? { ...r, ...input } : r));
      return json({ savedResponse: state.responses.find((r) => r.id === id) });
    }
    if (path === '/api/agents' && method === 'GET') return json({ agents: state.agents });
    if (path.startsWith('/api/outbox')) return json(outbox[new URLSearchParams(path.split('?')[1]).get('cursor') ?? 'first']);
    if (path === '/api/agents' && method === 'POST') {
      const { password: _password, ...rest } = input;
      return json({ agent: { id: nextId++, active: true, createdAt: 0, ...rest } }, 201);
    }
    const toggle = /^\/api\/agents\/(\d+)\/(activate|deactivate)$/.exec(path);
    if (toggle) {
      const found = state.agents.find((a) => a.id === Number(toggle[1])) as AgentRecord;
      return json({ agent: { ...found, active: toggle[2] === 'activate' } });
    }
    return json({ error: 'No such API route' }, 404);
  });
  return { ...api, state };
}

function show(who: AgentView, page = 'Saved responses', endedSession = vi.fn(() => false)) {
  const onBack = vi.fn();
  render(<Settings agent={who} onBack={onBack} endedSession={endedSession} />);
  fireEvent.click(within(screen.getByRole('navigation', { name: 'Settings pages' })).getByRole('link', { name: page }));
  return { onBack };
}

const fill = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
const savedList = () => screen.getByRole('list', { name: 'Saved responses' });

describe('settings', () => {
  it('shows agents only to admins', async () => {
    const server = settingsServer();
    show(agent);
    expect(await screen.findByText('No saved responses yet. Write the first one above.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Saved responses' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Agents' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add agent' })).toBeNull();
    expect(server.calls.some((c) => c.path === '/api/agents')).toBe(false);
  });

  it('goes back to the inbox', () => {
    settingsServer();
    const { onBack } = show(agent);
    fireEvent.click(screen.getByRole('button', { name: 'Back to inbox' }));
    expect(onBack).toHaveBeenCalled();
  });
});

describe('settings: saved responses', () => {
  it('creates a response, offering the categories in use and accepting a new one', async () => {
    const server = settingsServer([savedResponse({ id: 1, title: 'Hello', category: 'General', body: 'Hi there!' })]);
    show(agent);
    await within(await screen.findByRole('list', { name: 'Saved responses' })).findByText('Hello');
    const category = screen.getByLabelText('Category') as HTMLInputElement;
    const datalist = document.getElementById(category.getAttribute('list') ?? '');
    expect([...(datalist?.querySelectorAll('option') ?? [])].map((o) => o.getAttribute('value'))).toEqual(['General']);

    fill('Title', 'Shipping');
    fill('Category', 'Sales');
    fill('Body', 'We ship worldwide, {{contact.first_name | friend}}.');
    fireEvent.click(screen.getByRole('button', { name: 'Save response' }));
    await within(savedList()).findByText('Shipping');
    expect(server.calls.find((c) => c.method === 'POST')).toMatchObject({
      path: '/api/saved-responses',
      body: { title: 'Shipping', category: 'Sales', body: 'We ship worldwide, {{contact.first_name | friend}}.' },
    });
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('');
  });

  it('refuses a body with an unknown tag', async () => {
    const server = settingsServer();
    show(agent);
    fill('Title', 'Call me');
    fill('Category', 'Sales');
    fill('Body', 'Call {{contact.phone}}');
    fireEvent.click(screen.getByRole('button', { name: 'Save response' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Unknown tag {{contact.phone}}');
    expect(server.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('puts a tag into the body at the cursor when its chip is clicked', async () => {
    settingsServer();
    show(agent);
    fill('Body', 'Thanks, !');
    const body = screen.getByLabelText('Body') as HTMLTextAreaElement;
    body.setSelectionRange(8, 8);
    fireEvent.click(screen.getByRole('button', { name: '{{agent.name}}' }));
    await waitFor(() => expect(body.value).toBe('Thanks, {{agent.name}}!'));
    expect(document.activeElement).toBe(body);
  });

  it('edits a response in the form, then updates it', async () => {
    const server = settingsServer([savedResponse({ id: 1, title: 'Hello', category: 'General', body: 'Hi there!' })]);
    show(agent);
    fireEvent.click(await within(await screen.findByRole('list', { name: 'Saved responses' })).findByRole('button', { name: 'Edit' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Title'));
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Hello');
    expect((screen.getByLabelText('Body') as HTMLTextAreaElement).value).toBe('Hi there!');
    fill('Title', 'Hello again');
    fireEvent.click(screen.getByRole('button', { name: 'Update response' }));
    await within(savedList()).findByText('Hello again');
    expect(server.calls.find((c) => c.method === 'PATCH')).toMatchObject({
      path: '/api/saved-responses/1',
      body: { title: 'Hello again', category: 'General', body: 'Hi there!' },
    });
    expect(screen.getByRole('button', { name: 'Save response' })).toBeTruthy();
  });

  it('deletes only after a second, confirming click', async () => {
    const server = settingsServer([savedResponse({ id: 1, title: 'Hello' }), savedResponse({ id: 2, title: 'Bye' })]);
    show(agent);
    const list = await screen.findByRole('list', { name: 'Saved responses' });
    const item = (await within(list).findByText('Hello')).closest('li') as HTMLElement;
    fireEvent.click(within(item).getByRole('button', { name: 'Delete' }));
    expect(server.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(within(item).getByRole('button', { name: 'Confirm delete' }));
    await waitFor(() => expect(within(savedList()).queryByText('Hello')).toBeNull());
    expect(server.calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/saved-responses/1');
    expect(within(savedList()).getByText('Bye')).toBeTruthy();
  });

  it('moves the focus to the form once the last response is deleted', async () => {
    settingsServer([savedResponse({ id: 1, title: 'Hello' })]);
    show(agent);
    const item = (await within(await screen.findByRole('list', { name: 'Saved responses' })).findByText('Hello')).closest('li') as HTMLElement;
    within(item).getByRole('button', { name: 'Delete' }).focus();
    fireEvent.click(within(item).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(item).getByRole('button', { name: 'Confirm delete' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Title')));
  });

  it('lands on the next response’s Edit button after a delete', async () => {
    settingsServer([savedResponse({ id: 1, title: 'Hello' }), savedResponse({ id: 2, title: 'Bye' })]);
    show(agent);
    const list = await screen.findByRole('list', { name: 'Saved responses' });
    const item = (await within(list).findByText('Hello')).closest('li') as HTMLElement;
    within(item).getByRole('button', { name: 'Delete' }).focus();
    fireEvent.click(within(item).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(item).getByRole('button', { name: 'Confirm delete' }));
    const bye = within(savedList()).getByText('Bye').closest('li') as HTMLElement;
    await waitFor(() => expect(document.activeElement).toBe(within(bye).getByRole('button', { name: 'Edit' })));
  });
});

describe('settings: agents (admins)', () => {
  const rowOf = async (name: string) => {
    const table = await screen.findByRole('table');
    return (await within(table).findByText(name)).closest('tr') as HTMLElement;
  };

  it('lists agents with their role and state, with no way to deactivate oneself', async () => {
    settingsServer();
    show(admin, 'Agents');
    expect(screen.getByRole('heading', { name: 'Agents' })).toBeTruthy();
    const me = await rowOf('Grace Hopper');
    expect(within(me).getByText('Admin')).toBeTruthy();
    expect(within(me).queryByRole('button', { name: 'Deactivate' })).toBeNull();
    const linus = await rowOf('Linus');
    expect(within(linus).getByText('Active')).toBeTruthy();
    expect(within(linus).getByRole('button', { name: 'Deactivate' })).toBeTruthy();
    const ada = await rowOf('Ada');
    expect(within(ada).getByText('Deactivated')).toBeTruthy();
    expect(within(ada).getByRole('button', { name: 'Activate' })).toBeTruthy();
  });

  it('deactivates and activates agents', async () => {
    const server = settingsServer();
    show(admin, 'Agents');
    const deactivate = within(await rowOf('Linus')).getByRole('button', { name: 'Deactivate' });
    deactivate.focus();
    fireEvent.click(deactivate);
    const confirmDeactivate = within(screen.getByRole('alertdialog', { name: 'Deactivate Linus?' })).getByRole('button', { name: 'Deactivate' });
    fireEvent.click(confirmDeactivate);
    await waitFor(async () => expect(within(await rowOf('Linus')).getByText('Deactivated')).toBeTruthy());
    expect(document.activeElement?.textContent).toBe('Activate');
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/agents/2/deactivate' });
    fireEvent.click(within(await rowOf('Ada')).getByRole('button', { name: 'Activate' }));
    await waitFor(async () => expect(within(await rowOf('Ada')).getByText('Active')).toBeTruthy());
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/agents/3/activate' });
  });

  it('adds an agent with a role', async () => {
    const server = settingsServer();
    show(admin, 'Agents');
    await screen.findByRole('table');
    fill('Name', 'Margaret');
    fill('Email', 'margaret@example.com');
    fill('Password', 'apollo guidance');
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'admin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    expect(await rowOf('Margaret')).toBeTruthy();
    expect(server.calls.find((c) => c.method === 'POST')).toMatchObject({
      path: '/api/agents',
      body: { name: 'Margaret', email: 'margaret@example.com', password: 'apollo guidance', role: 'admin' },
    });
  });

  it('shows the server’s refusal', async () => {
    mockApi((call) =>
      call.path === '/api/agents' && call.method === 'POST'
        ? json({ error: 'An agent with this email exists' }, 409)
        : json(call.path === '/api/agents' ? { agents: [] } : call.path === '/api/outbox' ? noEmails : { savedResponses: [], categories: [] }),
    );
    show(admin, 'Agents');
    await screen.findByRole('table');
    fill('Name', 'Grace');
    fill('Email', 'grace@example.com');
    fill('Password', 'long enough');
    fireEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    expect((await screen.findByRole('alert')).textContent).toBe('An agent with this email exists');
  });
});

let emailId = 1;
function email(over: Partial<OutboxEmail> = {}): OutboxEmail {
  return {
    id: emailId++,
    conversationId: 2,
    kind: 'reply',
    to: 'ada@example.com',
    subject: 'Re: Your order',
    text: 'Hi Ada,\n\nIt ships today.\n\n-- Grace',
    status: 'sent',
    attempts: 1,
    lastError: null,
    transport: 'resend',
    createdAt: new Date(2025, 2, 14, 9, 0).getTime(),
    sentAt: new Date(2025, 2, 14, 9, 1).getTime(),
    ...over,
  };
}

describe('settings › outbox', () => {
  const outboxList = () => screen.getByRole('list', { name: 'Outbox' });
  const rows = () => [...outboxList().querySelectorAll('summary')].map((r) => r.textContent);

  it('says no email went out yet, and that without a provider nothing leaves the server', async () => {
    settingsServer();
    show(agent, 'Outbox');
    expect(await screen.findByText('No emails yet')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Outbox' })).toBeTruthy();
    expect(screen.getByText('No email provider is configured (RESEND_API_KEY): emails are kept here and not sent')).toBeTruthy();
  });

  it('lists each email with recipient, subject, kind and status, opens one to its text, and loads more', async () => {
    const server = settingsServer([], {
      first: {
        transport: 'resend',
        nextCursor: 'c2',
        emails: [
          email({ subject: 'Re: Your order' }),
          email({ to: 'mia@example.com', subject: 'Your chat with Parley', kind: 'transcript', status: 'queued', sentAt: null }),
          email({ subject: 'Still there?', kind: 'followup', status: 'failed', lastError: 'Mailbox unavailable' }),
        ],
      },
      c2: { transport: 'resend', nextCursor: null, emails: [email({ subject: 'Older reply' })] },
    });
    show(agent, 'Outbox');
    await screen.findByRole('list', { name: 'Outbox' });
    expect(screen.getByText('Mail is sent through Resend')).toBeTruthy();
    expect(rows()).toHaveLength(3);
    const [reply, transcript, followup] = [...outboxList().querySelectorAll('li')] as HTMLElement[];
    expect(within(reply!).getByText('To ada@example.com')).toBeTruthy();
    expect(within(reply!).getByText('Reply')).toBeTruthy();
    expect(within(reply!).getByText('Sent')).toBeTruthy();
    expect(within(reply!).getByText(/2025/)).toBeTruthy();
    expect(within(transcript!).getByText('Chat thread')).toBeTruthy();
    expect(within(transcript!).getByText('Queued')).toBeTruthy();
    expect(within(followup!).getByText('Follow-up')).toBeTruthy();
    expect(within(followup!).getByText('Failed: Mailbox unavailable').classList).toContain('failed');

    // The plain text is there, folded away until the agent opens the email.
    const details = reply!.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    fireEvent.click(within(reply!).getByText('Re: Your order'));
    await waitFor(() => expect(details.open).toBe(true));
    expect(reply!.querySelector('pre')?.textContent).toBe('Hi Ada,\n\nIt ships today.\n\n-- Grace');

    const more = screen.getByRole('button', { name: 'Load more' });
    more.focus();
    fireEvent.click(more);
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(server.calls.at(-1)?.path).toBe('/api/outbox?cursor=c2');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    // The button went with the last page: the focus is on the first email it brought, not on <body>.
    const fourth = outboxList().querySelectorAll('li')[3] as HTMLElement;
    await waitFor(() => expect(document.activeElement).toBe(fourth.querySelector('summary')));
  });

  it('never calls an email kept on this server "Sent": it says it was kept here', async () => {
    settingsServer([], {
      first: {
        transport: 'local',
        nextCursor: null,
        emails: [email({ subject: 'Kept', transport: 'local' }), email({ subject: 'Through Resend', transport: 'resend' })],
      },
    });
    show(agent, 'Outbox');
    await screen.findByRole('list', { name: 'Outbox' });
    const [kept, sent] = [...outboxList().querySelectorAll('li')] as HTMLElement[];
    expect(within(kept!).queryByText('Sent')).toBeNull();
    expect(within(kept!).getByText('Kept here (not sent)').classList).not.toContain('sent');
    expect(within(sent!).getByText('Sent').classList).toContain('sent');
  });
});
