// @vitest-environment happy-dom
// Files in the agent's reply box: attached by the paperclip, a paste or a drop, uploaded at once with a
// named progress bar, sent with the reply (by id), and refusals said in words.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../api/client';
import { ReplyComposer } from './ReplyComposer';

afterEach(cleanup);

const pdf = () => new File(['%PDF-1.7'], 'invoice.pdf', { type: 'application/pdf' });

/** An upload the test finishes by hand: `progress`, then `finish(id)` or `fail(error)`. */
function manualUploads() {
  const calls: { file: File; progress: (done: number) => void; finish: (id: number) => void; fail: (err: Error) => void }[] = [];
  const uploadFile = vi.fn(
    (file: File, progress: (done: number) => void) =>
      new Promise<{ id: number; attachment: { type: string; url: string } }>((resolve, reject) => {
        calls.push({ file, progress, finish: (id) => resolve({ id, attachment: { type: 'file', url: `/api/attachments/${id}` } }), fail: reject });
      }),
  );
  return { calls, uploadFile };
}

function show() {
  const onSend = vi.fn(async () => {});
  const uploads = manualUploads();
  const view = render(<ReplyComposer recipient="Visitor #3" onSend={onSend} loadSavedResponses={async () => ({ savedResponses: [], categories: [] })} uploadFile={uploads.uploadFile} />);
  const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
  return { onSend, uploads, view, send };
}

describe('files in the reply box', () => {
  it('uploads a picked file with a progress bar, then sends it with the reply', async () => {
    const { onSend, uploads, view, send } = show();
    const picker = view.container.querySelector<HTMLInputElement>('input[type=file]')!;
    const click = vi.spyOn(picker, 'click');
    fireEvent.click(screen.getByRole('button', { name: 'Attach a file' }));
    expect(click).toHaveBeenCalled();
    Object.defineProperty(picker, 'files', { value: [pdf()], configurable: true });
    fireEvent.change(picker);

    uploads.calls[0]!.progress(0.5);
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Uploading invoice.pdf' }).getAttribute('value')).toBe('0.5'));
    expect(send.disabled).toBe(true); // not while a file is still on its way
    uploads.calls[0]!.finish(42);
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
    expect(send.disabled).toBe(false); // a file alone is a reply
    fireEvent.click(send);
    await waitFor(() => expect(onSend).toHaveBeenCalledWith('', expect.any(String), [42]));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Attached files' })).toBeNull());
  });

  it('attaches a pasted image and a dropped file', () => {
    const { uploads } = show();
    const image = new File([new Uint8Array([0x89, 0x50])], 'paste.png', { type: 'image/png' });
    fireEvent.paste(screen.getByRole('textbox', { name: 'Reply' }), { clipboardData: { files: [image] } });
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [pdf()] } });
    fireEvent(screen.getByRole('textbox', { name: 'Reply' }), drop);
    expect(uploads.calls.map((c) => c.file.name)).toEqual(['paste.png', 'invoice.pdf']);
  });

  it('says why a file was refused and lets the agent remove one', async () => {
    const { uploads } = show();
    fireEvent.paste(screen.getByRole('textbox', { name: 'Reply' }), { clipboardData: { files: [pdf(), new File(['x'], 'tool.exe')] } });
    uploads.calls[1]!.fail(new ApiRequestError('That type of file is not allowed here', 415));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('tool.exe: That type of file is not allowed here'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove invoice.pdf' }));
    expect(screen.queryByRole('list', { name: 'Attached files' })).toBeNull();
  });
});
