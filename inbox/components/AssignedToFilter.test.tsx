// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../shared/protocol';
import { colleague, grace, isolateEachTest, listRows, openInbox } from '../testing/inboxTestServer';
import { FakeSocket } from '../testing/testSupport';

isolateEachTest();

const assignedTo = () => screen.getByRole('combobox', { name: 'Assigned to' }) as HTMLSelectElement;
const push = (conversation: ConversationSummary) => act(() => FakeSocket.last.push({ type: 'conversation', conversation }));

describe('the "Assigned to" filter', () => {
  it('offers Anyone, Me and Unassigned, and asks the server for the chosen list under the status tab', async () => {
    const server = await openInbox((s) => {
      const three = s.state.conversations.find((c) => c.id === 3)!;
      Object.assign(three, { assigneeId: grace.id, assigneeName: grace.name });
    });
    expect([...assignedTo().options].map((o) => o.text)).toEqual(['Anyone', 'Me', 'Unassigned']);
    expect(listRows()).toEqual(['Visitor #3', 'Ada Lovelace']);

    fireEvent.change(assignedTo(), { target: { value: 'me' } });
    await waitFor(() => expect(listRows()).toEqual(['Visitor #3']));
    expect(server.calls.some((c) => c.path.includes('status=open') && c.path.includes('assigned=me'))).toBe(true);

    fireEvent.change(assignedTo(), { target: { value: 'unassigned' } });
    await waitFor(() => expect(listRows()).toEqual(['Ada Lovelace']));
  });

  it('keeps "Me" right as assignments change live: one given away leaves, one given to me joins', async () => {
    const server = await openInbox((s) => {
      const three = s.state.conversations.find((c) => c.id === 3)!;
      Object.assign(three, { assigneeId: grace.id, assigneeName: grace.name });
    });
    fireEvent.change(assignedTo(), { target: { value: 'me' } });
    await waitFor(() => expect(listRows()).toEqual(['Visitor #3']));
    const [three, two] = server.state.conversations;

    await push({ ...three!, assigneeId: colleague.id, assigneeName: colleague.name });
    expect(screen.queryByRole('list', { name: 'Conversations' })).toBeNull();
    expect(screen.getByText('No open conversations assigned to you.')).toBeTruthy();
    await push({ ...two!, assigneeId: grace.id, assigneeName: grace.name });
    expect(listRows()).toEqual(['Ada Lovelace']);
  });
});
