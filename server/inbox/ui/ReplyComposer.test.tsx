// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_MESSAGE_LENGTH } from '../../../shared/limits';
import { ApiRequestError } from './api';
import { ReplyComposer } from './ReplyComposer';

afterEach(cleanup);

function show(onSend = vi.fn(async () => {})) {
  render(<ReplyComposer recipient="Visitor #3" onSend={onSend} />);
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
    expect(onSend).toHaveBeenCalledWith('Happy to help', expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/));
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
    await waitFor(() => expect(onSend).toHaveBeenCalledWith('On its way', expect.any(String)));
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
});
