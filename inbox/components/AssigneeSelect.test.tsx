// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { colleague, fakeServer, isolateEachTest, openThree, rowFor } from '../testing/inboxTestServer';
import { FakeSocket } from '../testing/testSupport';

isolateEachTest();

type Server = ReturnType<typeof fakeServer>;
const assignee = () => screen.getByRole('combobox', { name: 'Assignee' }) as HTMLSelectElement;
const optionTexts = () => [...assignee().options].map((o) => o.text);
const three = (server: Server) => server.state.conversations.find((c) => c.id === 3)!;

describe('the Assignee select', () => {
  it('offers the team by name and "Unassigned", and gives the conversation to whoever is chosen', async () => {
    const server = await openThree();
    await waitFor(() => expect(optionTexts()).toEqual(['Unassigned', 'Grace Hopper', 'Alan Turing']));
    expect(assignee().value).toBe('');

    assignee().focus();
    fireEvent.change(assignee(), { target: { value: String(colleague.id) } });
    await waitFor(() => expect(within(rowFor('Visitor #3')).getByText('Alan Turing')).toBeTruthy());
    const put = server.calls.find((c) => c.method === 'PUT');
    expect(put).toMatchObject({ path: '/api/conversations/3/assignee', body: { agentId: colleague.id } });
    expect(put?.headers['X-CSRF-Token']).toBe('csrf-123');
    expect(assignee().value).toBe(String(colleague.id));
    expect(document.activeElement).toBe(assignee());
  });

  it('follows another agent\'s assignment live, and a team change', async () => {
    const server = await openThree();
    await act(() =>
      FakeSocket.last.push({ type: 'conversation', conversation: { ...three(server), assigneeId: 1, assigneeName: 'Grace Hopper' } }),
    );
    expect(assignee().value).toBe('1');
    expect(within(rowFor('Visitor #3')).getByText('Grace Hopper')).toBeTruthy();

    await act(() => FakeSocket.last.push({ type: 'team', team: [...server.state.team, { id: 9, name: 'Edsger', avatarUrl: null, available: false }] }));
    expect(optionTexts()).toContain('Edsger');
  });

  it('still names an owner who has left the team', async () => {
    const server = await openThree();
    await act(() =>
      FakeSocket.last.push({ type: 'conversation', conversation: { ...three(server), assigneeId: 42, assigneeName: 'Barbara Liskov' } }),
    );
    expect(assignee().selectedOptions[0]?.text).toBe('Barbara Liskov');
  });

  it('says why an assignment failed, and keeps showing the owner', async () => {
    const server = await openThree();
    await waitFor(() => expect(optionTexts()).toHaveLength(3));
    server.fetchMock.mockImplementationOnce(async () => new Response(JSON.stringify({ error: 'No such agent' }), { status: 400 }));
    fireEvent.change(assignee(), { target: { value: String(colleague.id) } });
    expect((await screen.findByRole('alert')).textContent).toBe('Could not assign: No such agent');
    expect(assignee().value).toBe('');
  });

  it('lets the keyboard step through the agents and sends only the one chosen (Enter, or leaving the select)', async () => {
    const server = await openThree();
    await waitFor(() => expect(optionTexts()).toHaveLength(3));
    const step = (value: string) => {
      fireEvent.keyDown(assignee(), { key: 'ArrowDown' });
      fireEvent.change(assignee(), { target: { value } });
      fireEvent.keyUp(assignee(), { key: 'ArrowDown' });
    };
    const puts = () => server.calls.filter((c) => c.method === 'PUT');
    assignee().focus();
    step('1');
    step(String(colleague.id));
    expect(assignee().value).toBe(String(colleague.id));
    expect(puts()).toHaveLength(0);
    fireEvent.keyDown(assignee(), { key: 'Enter' });
    await waitFor(() => expect(within(rowFor('Visitor #3')).getByText('Alan Turing')).toBeTruthy());
    expect(puts()).toEqual([expect.objectContaining({ body: { agentId: colleague.id } })]);

    step('');
    fireEvent.blur(assignee());
    await waitFor(() => expect(puts()).toHaveLength(2));
    expect(puts()[1]).toMatchObject({ body: { agentId: null } });
  });
});
