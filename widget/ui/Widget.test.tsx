// @vitest-environment happy-dom
// The visitor-facing widget UI: what a visitor sees and can do, driven through a stand-in for the
// connection (the real connection is tested against a real server in connection.test.ts).
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WidgetFace } from '../../shared/protocol';
import type { ChatConnection, ThreadMessage } from '../connection';
import { icon } from '../icons';
import { Widget } from './Widget';

afterEach(cleanup);

const text = { title: 'Chat with us', subtitle: 'We reply fast', greeting: 'Hi there!' };

function fakeConnection(messages: ThreadMessage[] = [], unreadCount = 0, agentTyping: string | null = null) {
  return {
    messages,
    unreadCount,
    agentTyping,
    status: 'online',
    agentsOnline: true,
    team: [],
    email: null,
    askEmailAfterMs: 60_000,
    emailError: null,
    listen: vi.fn(),
    send: vi.fn(),
    retry: vi.fn(),
    markSeen: vi.fn(),
    typing: vi.fn(),
  } as unknown as ChatConnection & {
    send: ReturnType<typeof vi.fn>;
    retry: ReturnType<typeof vi.fn>;
    typing: ReturnType<typeof vi.fn>;
  };
}

const message = (over: Partial<ThreadMessage>): ThreadMessage => ({
  key: 'k1',
  id: 1,
  author: 'visitor',
  authorName: null,
  body: 'hello',
  createdAt: Date.UTC(2026, 10, 25, 15, 4),
  state: 'sent',
  ...over,
});

describe('widget header', () => {
  const open = (team: WidgetFace[]) =>
    render(<Widget connection={Object.assign(fakeConnection(), { team })} open={true} setOpen={() => {}} text={text} icon={icon} />);

  it('shows the available agents’ first names and faces: a picture over an initial, else the initial', () => {
    const { container } = open([
      { name: 'Grace', avatarUrl: 'https://chat.example.com/api/agents/2/avatar?v=abc' },
      { name: 'Ada', avatarUrl: null },
    ]);
    expect(screen.getByText('Grace, Ada')).toBeTruthy();
    const faces = container.querySelectorAll('.faces .face');
    expect(faces).toHaveLength(2);
    expect(faces[0]?.querySelector('img')?.getAttribute('src')).toBe('https://chat.example.com/api/agents/2/avatar?v=abc');
    expect(faces[1]?.querySelector('img')).toBeNull();
    expect(faces[1]?.textContent).toBe('A');
  });

  it('shows the chat icon and no names while nobody is available', () => {
    const { container } = open([]);
    expect(container.querySelector('.faces')).toBeNull();
    expect(container.querySelector('.header .avatar svg')).not.toBeNull();
    expect(container.querySelector('.names')).toBeNull();
  });
});

describe('widget', () => {
  it('shows no panel until opened (the launcher is ../launcher.ts)', () => {
    render(<Widget connection={fakeConnection()} open={false} setOpen={() => {}} text={text} icon={icon} />);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('textbox', { name: 'Type your message' })).toBeNull();
  });

  it('asks the launcher to close from its Close chat button', () => {
    const setOpen = vi.fn();
    render(<Widget connection={fakeConnection()} open={true} setOpen={setOpen} text={text} icon={icon} />);
    fireEvent.click(screen.getByRole('button', { name: 'Close chat' }));
    expect(setOpen).toHaveBeenCalledWith(false);
  });

  it('says politely, without an alert, when the server asked it to wait a while before sending', () => {
    const connection = Object.assign(fakeConnection([message({ state: 'sending' })]), { pausedFor: 12 });
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    const note = screen.getByText(/Sending paused for a moment/);
    expect(note.textContent).toContain('will go out in 12 s');
    expect(note.getAttribute('role')).toBe('status');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('Sending…')).toBeTruthy();
  });

  it('sends on Enter, keeps a new line on Shift+Enter, and ignores blank text', () => {
    const connection = fakeConnection();
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    const box = screen.getByRole('textbox', { name: 'Type your message' }) as HTMLTextAreaElement;

    fireEvent.input(box, { target: { value: '   ' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(connection.send).not.toHaveBeenCalled();

    fireEvent.input(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(connection.send).not.toHaveBeenCalled();

    fireEvent.keyDown(box, { key: 'Enter' });
    expect(connection.send).toHaveBeenCalledWith('line one');
    expect(box.value).toBe('');
  });

  it('keeps focus in the box after sending with the Send button, which the empty box disables', () => {
    const connection = fakeConnection();
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    const box = screen.getByRole('textbox', { name: 'Type your message' });
    fireEvent.input(box, { target: { value: 'Hello' } });
    const send = screen.getByRole('button', { name: 'Send' });
    send.focus();
    fireEvent.click(send);
    expect(connection.send).toHaveBeenCalledWith('Hello');
    expect((send as HTMLButtonElement).disabled).toBe(true);
    expect(document.activeElement).toBe(box);
  });

  it('labels each message with its delivery state and offers Retry on a failed one', () => {
    const connection = fakeConnection([
      message({ key: 'a', body: 'delivered' }),
      message({ key: 'b', id: null, body: 'on its way', state: 'sending' }),
      message({ key: 'c', id: null, body: 'stuck', state: 'failed' }),
    ]);
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    expect(screen.getByText(/^Sent/)).toBeTruthy();
    expect(screen.getByText('Sending…')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(connection.retry).toHaveBeenCalledWith('c');
    // The button disappears once the message is sending again; focus waits on the thread.
    expect(document.activeElement).toBe(screen.getByRole('log', { name: 'Conversation' }));
  });

  it('shows the agent name above a reply and renders markup as plain text', () => {
    const connection = fakeConnection([
      message({ key: 'r', author: 'agent', authorName: 'Ada', body: '<img src=x onerror=alert(1)>' }),
    ]);
    const { container } = render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    expect(screen.getByText('Ada')).toBeTruthy();
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });

  it('refuses a message over 4,000 characters and says how long it is', () => {
    const connection = fakeConnection();
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    const box = screen.getByRole('textbox', { name: 'Type your message' });
    fireEvent.input(box, { target: { value: 'x'.repeat(4001) } });
    expect(screen.getByText('4001 / 4000')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(connection.send).not.toHaveBeenCalled();
  });

  it('shows which agent is typing a reply', () => {
    render(<Widget connection={fakeConnection([], 0, 'Ada')} open={true} setOpen={() => {}} text={text} icon={icon} />);
    expect(screen.getByText('Ada is typing…').getAttribute('role')).toBe('status');
  });

  it('reports the draft as the visitor types, and an empty draft once sent', () => {
    const connection = fakeConnection();
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    const box = screen.getByRole('textbox', { name: 'Type your message' });
    fireEvent.input(box, { target: { value: 'Do you' } });
    expect(connection.typing).toHaveBeenLastCalledWith('Do you');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(connection.typing).toHaveBeenLastCalledWith('');
  });

  it('marks what is on screen as seen when the panel opens', () => {
    const connection = fakeConnection([message({ author: 'agent', authorName: 'Ada' })], 1);
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    expect(connection.markSeen).toHaveBeenCalled();
  });
});

describe('closing the panel', () => {
  // Focus going back to the launcher however the panel closes is the launcher's (../launcher.test.ts).
  it('asks the launcher to close on Escape, and keeps the key from the page', () => {
    const setOpen = vi.fn();
    const pageHeard = vi.fn();
    document.addEventListener('keydown', pageHeard);
    render(<Widget connection={fakeConnection()} open={true} setOpen={setOpen} text={text} icon={icon} />);
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Type your message' }), { key: 'Escape' });
    document.removeEventListener('keydown', pageHeard);
    expect(setOpen).toHaveBeenCalledWith(false);
    expect(pageHeard).not.toHaveBeenCalled();
  });
});

describe('replies read out', () => {
  it('announces a new reply from a polite live region that was there before it, but not the history', () => {
    const connection = fakeConnection([message({ key: 'old', id: 1, author: 'agent', authorName: 'Ada', body: 'Earlier answer' })]);
    const view = render(<Widget connection={connection} open={false} setOpen={() => {}} text={text} icon={icon} />);
    const region = document.querySelector('[aria-live="polite"]');
    expect(region?.getAttribute('role')).toBe('status');
    expect(region?.textContent).toBe('');

    Object.assign(connection, {
      messages: [...connection.messages, message({ key: 'new', id: 2, author: 'agent', authorName: 'Ada', body: 'We ship on Fridays.' })],
    });
    view.rerender(<Widget connection={connection} open={false} setOpen={() => {}} text={text} icon={icon} />);
    expect(document.querySelector('[aria-live="polite"]')).toBe(region);
    expect(region?.textContent).toBe('Ada replied: We ship on Fridays.');
    // Opened, the reply is in the log, which reads out what comes next: this region empties.
    view.rerender(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    expect(region?.textContent).toBe('');
  });

  it('leaves replies to the open panel’s log, so none is read or found twice', () => {
    const connection = fakeConnection();
    const view = render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    Object.assign(connection, { messages: [message({ key: 'new', id: 2, author: 'agent', authorName: 'Ada', body: 'We ship on Fridays.' })] });
    view.rerender(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    expect(screen.getByRole('log', { name: 'Conversation' }).getAttribute('aria-live')).toBe('polite');
    expect(screen.getAllByText(/We ship on Fridays/)).toHaveLength(1);
    // Closed later, the reply already shown is not read out again.
    view.rerender(<Widget connection={connection} open={false} setOpen={() => {}} text={text} icon={icon} />);
    expect(document.querySelector('.sr')?.textContent).toBe('');
  });
});

describe('links in messages', () => {
  it('opens an agent’s http(s) and mailto addresses in a new tab, without the sentence’s full stop, and nothing else', () => {
    const connection = fakeConnection([
      message({ key: 'r', author: 'agent', authorName: 'Ada', body: 'Tracking: https://post.example/t/42. Or mail mailto:help@lumen.example' }),
      message({ key: 'v', body: 'javascript:alert(1) <a href="https://evil.example">x</a>' }),
    ]);
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    const links = screen.getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['https://post.example/t/42', 'https://post.example/t/42'],
      ['mailto:help@lumen.example', 'mailto:help@lumen.example'],
      ['https://evil.example', 'https://evil.example/'],
    ]);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    }
    expect(screen.getByText(/^javascript:alert\(1\) <a href="/)).toBeTruthy();
  });
});

describe('header', () => {
  it('replaces the reply-time line while the widget says it will reply by email', () => {
    const connection = Object.assign(fakeConnection(), { agentsOnline: false });
    render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
    expect(screen.getByText("We'll reply by email")).toBeTruthy();
    expect(screen.queryByText('We reply fast')).toBeNull();
    expect(screen.getByText("We're away right now")).toBeTruthy();
  });

  it('is not a second banner landmark on the page', () => {
    render(<Widget connection={fakeConnection()} open={true} setOpen={() => {}} text={text} icon={icon} />);
    expect(screen.queryByRole('banner')).toBeNull();
  });
});
