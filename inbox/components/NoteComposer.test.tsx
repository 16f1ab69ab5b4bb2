// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { bubbles, isolateEachTest, openThree } from '../testing/inboxTestServer';
import { FakeSocket } from '../testing/testSupport';

isolateEachTest();

const tab = (name: string) => screen.getByRole('tab', { name });
const noteBox = () => screen.getByRole('textbox', { name: 'Private note' }) as HTMLTextAreaElement;
const log = () => screen.getByRole('log');

describe('private notes', () => {
  it('are written in the "Private note" mode beside "Reply", and shown in the thread with their author', async () => {
    const server = await openThree();
    expect(tab('Reply').getAttribute('aria-selected')).toBe('true');
    fireEvent.click(tab('Private note'));
    expect(tab('Private note').getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByRole('textbox', { name: 'Reply' })).toBeNull();
    expect(document.activeElement).toBe(noteBox());

    fireEvent.input(noteBox(), { target: { value: 'Refund approved by finance' } });
    // Writing a note is not "Grace is typing…" for the visitor.
    expect(FakeSocket.last.sent.some((f) => (f as { type: string }).type === 'typing')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(within(log()).getByText('Refund approved by finance')).toBeTruthy());
    expect(within(log()).getByText('Note by Grace Hopper')).toBeTruthy();
    expect(server.calls.find((c) => c.path === '/api/conversations/3/notes')).toMatchObject({
      method: 'POST',
      body: { body: 'Refund approved by finance' },
    });
    // A note is not a message: nothing went to the reply endpoint, and no bubble was added.
    expect(server.calls.some((c) => c.path.endsWith('/messages'))).toBe(false);
    expect(bubbles()).toEqual(['Do you ship to Norway?']);
    expect(noteBox().value).toBe('');
  });

  it('keep the reply being written while a note is added, and back', async () => {
    await openThree();
    fireEvent.input(screen.getByRole('textbox', { name: 'Reply' }), { target: { value: 'Yes we do' } });
    fireEvent.click(tab('Private note'));
    fireEvent.input(noteBox(), { target: { value: 'half a note' } });
    fireEvent.click(tab('Reply'));
    expect((screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement).value).toBe('Yes we do');
    fireEvent.click(tab('Private note'));
    expect(noteBox().value).toBe('half a note');
  });

  it('move between modes with the arrow keys', async () => {
    await openThree();
    tab('Reply').focus();
    fireEvent.keyDown(tab('Reply'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tab('Private note'));
    expect(noteBox()).toBeTruthy();
  });

  it('from another agent appear live, among the messages by time', async () => {
    await openThree();
    await act(() =>
      FakeSocket.last.push({
        type: 'note',
        note: { id: 77, conversationId: 3, agentId: 2, agentName: 'Alan Turing', body: '@Grace this one is yours', mentions: [1], createdAt: Date.now() },
      }),
    );
    const items = [...log().querySelectorAll('.bubble, .note-body')].map((e) => e.textContent);
    expect(items).toEqual(['Do you ship to Norway?', '@Grace this one is yours']);
    expect(within(log()).getByText('Note by Alan Turing')).toBeTruthy();
  });

  it('show the @names that notified someone in bold, and leave other @words plain', async () => {
    await openThree();
    await act(() =>
      FakeSocket.last.push({
        type: 'note',
        note: { id: 78, conversationId: 3, agentId: 2, agentName: 'Alan Turing', body: '@grace and @nobody, see above', mentions: [1], createdAt: Date.now() },
      }),
    );
    await waitFor(() => expect([...log().querySelectorAll('.note-body .mention')].map((e) => e.textContent)).toEqual(['@grace']));
    expect(log().querySelector('.note-body')?.textContent).toBe('@grace and @nobody, see above');
  });
});
