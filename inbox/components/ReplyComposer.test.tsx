// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_MESSAGE_LENGTH } from '../../shared/limits';
import { ApiRequestError, type SavedResponseList } from '../api/client';
import { ReplyComposer } from './ReplyComposer';
import { savedResponse } from '../testing/testSupport';

afterEach(cleanup);

const saved: SavedResponseList = {
  savedResponses: [
    savedResponse({ id: 1, title: 'Shipping', category: 'Sales', body: 'We ship worldwide.' }),
    savedResponse({ id: 2, title: 'Greeting', category: 'General', body: 'Hi {{contact.first_name | there}}!' }),
  ],
  categories: ['General', 'Sales'],
};

function show(onSend = vi.fn(async () => {})) {
  render(<ReplyComposer recipient="Visitor #3" onSend={onSend} loadSavedResponses={async () => saved} />);
  const box = screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;
  const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
  const type = (text: string) => fireEvent.input(box, { target: { value: text } });
  return { onSend, box, send, type };
}

describe('the reply box', () => {
  it('sends on Ctrl+Enter and on Cmd+Enter, then clears', async () => {
    const { onSend, box, type } = show();
    type('Happy to help');
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(box.value).toBe(''));
    expect(onSend).toHaveBeenCalledWith('Happy to help', expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), []);
    type('Anything else?');
    fireEvent.keyDown(box, { key: 'Enter', metaKey: true });
    await waitFor(() => expect(onSend).toHaveBeenCalledTimes(2));
  });

  it('does not send on plain Enter, which makes a new line', () => {
    const { onSend, box, type } = show();
    type('First line');
    const event = fireEvent.keyDown(box, { key: 'Enter' });
    expect(event).toBe(true); // not prevented: the browser inserts the newline
    expect(onSend).not.toHaveBeenCalled();
  });

  it('sends with the Send button', async () => {
    const { onSend, send, type } = show();
    type('  On its way  ');
    fireEvent.click(send);
    await waitFor(() => expect(onSend).toHaveBeenCalledWith('On its way', expect.any(String), []));
  });

  it('refuses empty or blank text', () => {
    const { onSend, box, send, type } = show();
    expect(send.disabled).toBe(true);
    type('   \n ');
    expect(send.disabled).toBe(true);
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('counts characters near the limit and refuses text over it', () => {
    const { onSend, box, send, type } = show();
    type('a'.repeat(MAX_MESSAGE_LENGTH - 100));
    expect(screen.getByText(`${MAX_MESSAGE_LENGTH - 100} / ${MAX_MESSAGE_LENGTH}`)).toBeTruthy();
    expect(send.disabled).toBe(false);
    type('a'.repeat(MAX_MESSAGE_LENGTH + 1));
    expect(send.disabled).toBe(true);
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain(`longer than ${MAX_MESSAGE_LENGTH}`);
  });

  it('is disabled while sending, and keeps the text and shows the error if sending fails', async () => {
    let fail: (err: unknown) => void = () => {};
    const onSend = vi.fn(() => new Promise<void>((_, reject) => (fail = reject)));
    const { box, send, type } = show(onSend);
    type('Refund issued');
    fireEvent.click(send);
    await waitFor(() => expect(send.disabled).toBe(true));
    fail(new ApiRequestError('No such conversation', 404));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('No such conversation'));
    expect(box.value).toBe('Refund issued');
    expect(send.disabled).toBe(false);
  });

  it('retries a failed send with the same id, so the server stores it once', async () => {
    const onSend = vi.fn().mockRejectedValueOnce(new ApiRequestError('Cannot reach the server.', 0)).mockResolvedValueOnce(undefined);
    const { send, type } = show(onSend);
    type('Hello');
    fireEvent.click(send);
    await screen.findByRole('alert');
    fireEvent.click(send);
    await waitFor(() => expect(onSend).toHaveBeenCalledTimes(2));
    expect(onSend.mock.calls[1]?.[1]).toBe(onSend.mock.calls[0]?.[1]);
  });

  it('keeps the text and shows the server’s refusal of a tag', async () => {
    const onSend = vi.fn().mockRejectedValue(new ApiRequestError('No value for {{contact.name}} in this conversation', 400));
    const { box, send, type } = show(onSend);
    type('Hi {{contact.name}}');
    fireEvent.click(send);
    expect((await screen.findByRole('alert')).textContent).toBe('No value for {{contact.name}} in this conversation');
    expect(box.value).toBe('Hi {{contact.name}}');
  });

  it('refuses unknown tags before sending', () => {
    const { onSend, box, type } = show();
    type('Call {{contact.phone}} or {{ contact.fax | n/a }}');
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    expect(onSend).not.toHaveBeenCalled();
    const alert = screen.getByRole('alert').textContent ?? '';
    expect(alert).toContain('Unknown tag {{contact.phone}}, {{contact.fax}}');
    expect(alert).toContain('{{contact.first_name}}');
    expect(box.value).toBe('Call {{contact.phone}} or {{ contact.fax | n/a }}');
  });

  it('lists the tags it can fill in under the box', () => {
    show();
    expect(screen.getByText('{{contact.first_name | there}}')).toBeTruthy();
    expect(screen.getByText('{{agent.name}}')).toBeTruthy();
  });

  it('inserts a tag at the cursor when its chip is clicked, and gives the box its focus back', () => {
    const { box, type } = show();
    type('Hi !');
    box.setSelectionRange(3, 3);
    fireEvent.click(screen.getByRole('button', { name: '{{contact.first_name | there}}' }));
    expect(box.value).toBe('Hi {{contact.first_name | there}}!');
    expect(document.activeElement).toBe(box);
    expect(box.selectionStart).toBe('Hi {{contact.first_name | there}}'.length);
    box.setSelectionRange(box.value.length, box.value.length);
    fireEvent.click(screen.getByRole('button', { name: '{{agent.name}}' }));
    expect(box.value).toBe('Hi {{contact.first_name | there}}!{{agent.name}}');
  });

  it('reports typing as the agent writes', () => {
    const onTyping = vi.fn();
    render(<ReplyComposer recipient="Visitor #3" onSend={async () => {}} onTyping={onTyping} />);
    fireEvent.input(screen.getByRole('textbox', { name: 'Reply' }), { target: { value: 'H' } });
    expect(onTyping).toHaveBeenCalledOnce();
  });
});

describe('saved responses in the reply box', () => {
  it('opens the picker on "/" in an empty box, without typing the "/"', async () => {
    const { box, type } = show();
    const event = fireEvent.keyDown(box, { key: '/' });
    expect(event).toBe(false);
    expect(screen.getByRole('dialog', { name: 'Saved responses' })).toBeTruthy();
    expect(box.value).toBe('');
    expect(await screen.findByText('Shipping')).toBeTruthy();

    fireEvent.keyDown(screen.getByLabelText('Filter'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();

    type('a/');
    fireEvent.keyDown(box, { key: '/' });
    expect(screen.queryByRole('dialog')).toBeNull(); // only at the start of an empty reply
  });

  it('opens the picker when "/" arrives as input too', () => {
    const { box, type } = show();
    type('/');
    expect(screen.getByRole('dialog', { name: 'Saved responses' })).toBeTruthy();
    expect(box.value).toBe('');
  });

  it('inserts the chosen response at the cursor and closes the picker', async () => {
    const onTextChange = vi.fn();
    render(
      <ReplyComposer recipient="Visitor #3" onSend={async () => {}} onTextChange={onTextChange} loadSavedResponses={async () => saved} />,
    );
    const box = screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: 'Hello! Anything else?' } });
    box.setSelectionRange(7, 7);
    fireEvent.click(screen.getByRole('button', { name: 'Saved responses' }));
    fireEvent.click(await screen.findByText('Shipping'));
    expect(box.value).toBe('Hello! We ship worldwide.Anything else?');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onTextChange).toHaveBeenLastCalledWith('Hello! We ship worldwide.Anything else?');
    await waitFor(() => expect(box.selectionStart).toBe(7 + 'We ship worldwide.'.length));
    expect(document.activeElement).toBe(box);
  });

  it('picks with the arrow keys and Enter', async () => {
    const { box } = show();
    fireEvent.keyDown(box, { key: '/' });
    const filter = screen.getByLabelText('Filter');
    await screen.findByText('Shipping');
    fireEvent.keyDown(filter, { key: 'ArrowDown' });
    fireEvent.keyDown(filter, { key: 'Enter' });
    expect(box.value).toBe('Hi {{contact.first_name | there}}!');
  });
});
