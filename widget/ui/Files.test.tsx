// @vitest-environment happy-dom
// Files in the widget: what a visitor does to send one (paperclip, paste, drop), what they see while
// it goes and when it is refused, and how files in the thread look. The connection is a stand-in.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatConnection, ThreadMessage } from '../connection';
import { icon } from '../icons';
import { Widget } from './Widget';

afterEach(cleanup);

const text = { title: 'Chat with us', subtitle: 'We reply fast', greeting: 'Hi there!' };

function openWidget(messages: ThreadMessage[] = [], uploadError: string | null = null) {
  const connection = {
    messages,
    unreadCount: 0,
    agentTyping: null,
    status: 'online',
    agentsOnline: true,
    team: [],
    email: null,
    askEmailAfterMs: 60_000,
    emailError: null,
    uploadError,
    listen: vi.fn(),
    send: vi.fn(),
    retry: vi.fn(),
    markSeen: vi.fn(),
    typing: vi.fn(),
    attach: vi.fn(),
    fetchFile: vi.fn(async () => new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' })),
  };
  const view = render(<Widget connection={connection as unknown as ChatConnection} open={true} setOpen={() => {}} text={text} icon={icon} />);
  return { connection, view };
}

const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'screen.png', { type: 'image/png' });

const message = (over: Partial<ThreadMessage>): ThreadMessage => ({
  key: 'k1',
  id: 1,
  author: 'agent',
  authorName: 'Ada',
  body: '',
  createdAt: Date.UTC(2026, 10, 25, 15, 4),
  state: 'sent',
  ...over,
});

describe('sending files from the widget', () => {
  it('sends what the visitor picks with the "Attach a file" button', () => {
    const { connection, view } = openWidget();
    const picker = view.container.querySelector<HTMLInputElement>('input[type=file]')!;
    const click = vi.spyOn(picker, 'click');
    fireEvent.click(screen.getByRole('button', { name: 'Attach a file' }));
    expect(click).toHaveBeenCalled();
    const file = png();
    Object.defineProperty(picker, 'files', { value: [file], configurable: true });
    fireEvent.change(picker);
    expect(connection.attach).toHaveBeenCalledWith(file);
  });

  it('sends an image pasted into the message box', () => {
    const { connection } = openWidget();
    const file = png();
    fireEvent.paste(screen.getByRole('textbox', { name: 'Type your message' }), { clipboardData: { files: [file] } });
    expect(connection.attach).toHaveBeenCalledWith(file);
  });

  it('sends a file dropped anywhere on the panel', () => {
    const { connection } = openWidget();
    const file = png();
    // happy-dom's DragEvent drops the dataTransfer it is given: set it on the event itself.
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [file] } });
    fireEvent(screen.getByRole('dialog'), drop);
    expect(connection.attach).toHaveBeenCalledWith(file);
  });

  it('shows a named progress bar while a file goes', () => {
    openWidget([message({ author: 'visitor', id: null, state: 'sending', upload: { name: 'screen.png', preview: null, progress: 0.4 } })]);
    const bar = screen.getByRole('progressbar', { name: 'Uploading screen.png' });
    expect(bar.getAttribute('value')).toBe('0.4');
  });

  it('says in words why a file was refused', () => {
    openWidget([], 'tool.exe: That type of file is not allowed here');
    expect(screen.getByRole('alert').textContent).toBe('tool.exe: That type of file is not allowed here');
  });
});

describe('files in the thread', () => {
  it('shows a picture as a thumbnail named by its file, fetched with the visitor’s token', async () => {
    const { connection } = openWidget([
      message({ attachments: [{ type: 'image', url: '/api/attachments/7', name: 'receipt.png', mimeType: 'image/png', size: 3 }] }),
    ]);
    await waitFor(() => expect(screen.getByRole('img', { name: 'receipt.png' })).toBeTruthy());
    expect(connection.fetchFile).toHaveBeenCalledWith('/api/attachments/7');
  });

  it('shows another file as its name and size, downloaded on demand', async () => {
    const { connection } = openWidget([
      message({ attachments: [{ type: 'file', url: '/api/attachments/8', name: 'invoice.pdf', mimeType: 'application/pdf', size: 48_000 }] }),
    ]);
    const button = screen.getByRole('button', { name: 'invoice.pdf · 47 KB' });
    expect(connection.fetchFile).not.toHaveBeenCalled();
    fireEvent.click(button);
    await waitFor(() => expect(connection.fetchFile).toHaveBeenCalledWith('/api/attachments/8'));
  });
});
