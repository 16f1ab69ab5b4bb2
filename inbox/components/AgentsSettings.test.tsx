// @vitest-environment happy-dom
// Settings › Agents for an admin: deactivation asks first (an accessible dialog that keeps and
// returns the keyboard focus), and an agent's name, role and password are edited in a dialog.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentRecord, AgentView } from '../../shared/protocol';
import { json, mockApi } from '../testing/testSupport';
import { AgentsSettings } from './AgentsSettings';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const admin: AgentView = { id: 1, email: 'grace@example.com', name: 'Grace Hopper', role: 'admin' };
const linus: AgentRecord = { id: 2, email: 'linus@example.com', name: 'Linus', role: 'agent', active: true, createdAt: 0 };

function agentsServer(answer?: (method: string, path: string, body: Record<string, unknown>) => { status: number; body?: unknown } | null) {
  const agents: AgentRecord[] = [{ ...admin, active: true, createdAt: 0 }, linus];
  return mockApi(({ method, path, body }) => {
    const custom = answer?.(method, path, body as Record<string, unknown>);
    if (custom) return custom;
    if (path === '/api/agents') return json({ agents });
    const match = /^\/api\/agents\/(\d+)(?:\/(\w+))?$/.exec(path);
    const found = agents.find((a) => a.id === Number(match?.[1]))!;
    if (match?.[2] === 'deactivate') return json({ agent: { ...found, active: false } });
    if (match?.[2] === 'password') return json({ agent: found });
    return json({ agent: { ...found, ...(body as object) } });
  });
}

async function show() {
  render(<AgentsSettings self={admin} endedSession={() => false} />);
  const table = await screen.findByRole('table');
  return (name: string) => within(table).getByText(name).closest('tr') as HTMLElement;
}

describe('deactivating an agent', () => {
  it('asks first, in a dialog that takes the focus, and Escape or Cancel changes nothing', async () => {
    const { calls } = agentsServer();
    const row = await show();
    const deactivate = within(row('Linus')).getByRole('button', { name: 'Deactivate' });
    deactivate.focus();
    fireEvent.click(deactivate);

    const dialog = screen.getByRole('alertdialog', { name: 'Deactivate Linus?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain('They are signed out at once');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));

    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(deactivate);

    fireEvent.click(deactivate);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(deactivate);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('keeps Tab inside the dialog', async () => {
    agentsServer();
    const row = await show();
    fireEvent.click(within(row('Linus')).getByRole('button', { name: 'Deactivate' }));
    const dialog = screen.getByRole('alertdialog');
    const [cancel, confirm] = within(dialog).getAllByRole('button');
    confirm!.focus();
    fireEvent.keyDown(confirm!, { key: 'Tab' });
    expect(document.activeElement).toBe(cancel);
    fireEvent.keyDown(cancel!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
  });

  it('deactivates on confirmation, and gives the focus back to the row', async () => {
    const { calls } = agentsServer();
    const row = await show();
    const button = within(row('Linus')).getByRole('button', { name: 'Deactivate' });
    button.focus();
    fireEvent.click(button);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(within(row('Linus')).getByText('Deactivated')).toBeTruthy());
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/agents/2/deactivate' });
    expect(document.activeElement).toBe(within(row('Linus')).getByRole('button', { name: 'Activate' }));
  });
});

describe('editing an agent', () => {
  it('renames an agent and changes their role', async () => {
    const { calls } = agentsServer();
    const row = await show();
    fireEvent.click(within(row('Linus')).getByRole('button', { name: 'Edit Linus' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit Linus' });
    const name = within(dialog).getByLabelText('Name') as HTMLInputElement;
    expect(document.activeElement).toBe(name);
    fireEvent.input(name, { target: { value: 'Linus Torvalds' } });
    fireEvent.change(within(dialog).getByLabelText('Role'), { target: { value: 'admin' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH', path: '/api/agents/2', body: { name: 'Linus Torvalds', role: 'admin' } });
    expect(within(row('Linus Torvalds')).getByText('Admin')).toBeTruthy();
  });

  it("shows the server's refusal in the dialog, such as demoting the last admin", async () => {
    const error = 'This is the last active admin: make another agent an admin first';
    agentsServer((method) => (method === 'PATCH' ? json({ error }, 409) : null));
    const row = await show();
    fireEvent.click(within(row('Grace Hopper')).getByRole('button', { name: 'Edit Grace Hopper' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit Grace Hopper' });
    expect(within(dialog).queryByLabelText('New password')).toBeNull(); // one's own needs the current password
    fireEvent.change(within(dialog).getByLabelText('Role'), { target: { value: 'agent' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(error);
  });

  it('resets a password and says the agent was signed out', async () => {
    const { calls } = agentsServer();
    const row = await show();
    fireEvent.click(within(row('Linus')).getByRole('button', { name: 'Edit Linus' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit Linus' });
    fireEvent.input(within(dialog).getByLabelText('New password'), { target: { value: 'a fresh secret' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset password' }));
    expect(await within(dialog).findByText(/Password reset. Linus was signed out everywhere/)).toBeTruthy();
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/agents/2/password', body: { password: 'a fresh secret' } });
    expect((within(dialog).getByLabelText('New password') as HTMLInputElement).value).toBe('');
  });
});
