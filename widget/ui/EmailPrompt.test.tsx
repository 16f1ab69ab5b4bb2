// @vitest-environment happy-dom
// The email form in the open panel: when a visitor is offered it, what Save does, and what they see
// once the address is stored. Driven through a stand-in connection whose state the test sets.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatConnection, ThreadMessage } from '../connection';
import { icon } from '../icons';
import { Widget } from './Widget';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const text = { title: 'Chat with us', subtitle: 'We reply fast', greeting: 'Hi there!' };
const MINUTE = 60_000;

type FakeConnection = ChatConnection & { identify: ReturnType<typeof vi.fn> };

function fakeConnection(state: Partial<ChatConnection> = {}): FakeConnection {
  return {
    messages: [],
    unreadCount: 0,
    agentTyping: null,
    status: 'online',
    agentsOnline: true,
    team: [],
    email: null,
    emailError: null,
    askEmailAfterMs: MINUTE,
    listen: vi.fn(),
    markSeen: vi.fn(),
    send: vi.fn(),
    typing: vi.fn(),
    retry: vi.fn(),
    identify: vi.fn(),
    ...state,
  } as unknown as FakeConnection;
}

const message = (author: 'visitor' | 'agent', createdAt: number, key = `${author}-${createdAt}`): ThreadMessage => ({
  key,
  id: createdAt,
  author,
  authorName: author === 'agent' ? 'Ada' : null,
  body: `${author} says hi`,
  createdAt,
  state: 'sent',
});

function renderWidget(connection: ChatConnection) {
  const view = render(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />);
  return { rerender: () => view.rerender(<Widget connection={connection} open={true} setOpen={() => {}} text={text} icon={icon} />) };
}

const emailBox = () => screen.queryByRole('textbox', { name: 'Email' }) as HTMLInputElement | null;

describe('email form', () => {
  it('says "We\'ll reply by email" and asks for an address while no agent is online', () => {
    renderWidget(fakeConnection({ agentsOnline: false }));
    expect(screen.getByText("We'll reply by email")).toBeTruthy();
    const box = emailBox();
    expect(box?.type).toBe('email');
    expect(box?.getAttribute('autocomplete')).toBe('email');
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
  });

  it('opens the socket when the panel opens, so a new visitor learns whether anyone is online', () => {
    const connection = fakeConnection();
    renderWidget(connection);
    expect(connection.listen).toHaveBeenCalled();
  });

  it('stays hidden while agents are online and nobody has written', () => {
    renderWidget(fakeConnection());
    expect(emailBox()).toBeNull();
  });

  it('appears once a visitor message has waited the configured delay without an answer', () => {
    vi.useFakeTimers({ now: 10 * MINUTE });
    renderWidget(fakeConnection({ messages: [message('visitor', 10 * MINUTE - 1000)] }));
    expect(emailBox()).toBeNull();
    act(() => {
      vi.advanceTimersByTime(MINUTE - 1001);
    });
    expect(emailBox()).toBeNull();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(emailBox()).not.toBeNull();
    expect(screen.getByText('No reply yet? Leave your email')).toBeTruthy();
  });

  it('counts from the first unanswered message, so it shows at once after a reload when that was long ago', () => {
    vi.useFakeTimers({ now: 10 * MINUTE });
    renderWidget(
      fakeConnection({
        messages: [message('visitor', 1 * MINUTE), message('agent', 2 * MINUTE), message('visitor', 3 * MINUTE), message('visitor', 9.5 * MINUTE)],
      }),
    );
    expect(emailBox()).not.toBeNull();
  });

  it('goes away when an agent replies, and stays away', () => {
    vi.useFakeTimers({ now: 10 * MINUTE });
    const connection = fakeConnection({ messages: [message('visitor', 1 * MINUTE)] });
    const { rerender } = renderWidget(connection);
    expect(emailBox()).not.toBeNull();

    Object.assign(connection, { messages: [message('visitor', 1 * MINUTE), message('agent', 10 * MINUTE)] });
    rerender();
    act(() => {
      vi.advanceTimersByTime(5 * MINUTE);
    });
    expect(emailBox()).toBeNull();
  });

  it('saves the address on submit (Enter or Save), and shows where replies will go once the server confirms', () => {
    const connection = fakeConnection({ agentsOnline: false });
    const { rerender } = renderWidget(connection);
    fireEvent.input(emailBox()!, { target: { value: ' Ada@Example.com ' } });
    fireEvent.submit(emailBox()!.form!);
    expect(connection.identify).toHaveBeenCalledWith({ email: 'ada@example.com' });

    // The server's `identified` frame arrives.
    Object.assign(connection, { email: 'ada@example.com' });
    rerender();
    expect(emailBox()).toBeNull();
    const confirmation = screen.getByText(/^We'll reply to/);
    expect(confirmation.textContent).toBe("We'll reply to ada@example.com by email");
    expect(confirmation.getAttribute('role')).toBe('status');
    expect(document.activeElement).toBe(confirmation); // focus is not lost with the Save button
  });

  it('shows a known address as a confirmation instead of the form', () => {
    renderWidget(fakeConnection({ agentsOnline: false, email: '<b>grace</b>@example.com' }));
    expect(emailBox()).toBeNull();
    expect(screen.getByText(/^We'll reply to/).textContent).toBe("We'll reply to <b>grace</b>@example.com by email");
    expect(document.querySelector('b')).toBeNull();
  });

  it('lets the browser refuse an address without @, and shows the server’s reason when it refuses one', () => {
    const connection = fakeConnection({ agentsOnline: false });
    const { rerender } = renderWidget(connection);
    const box = emailBox()!;
    expect(box.required).toBe(true);
    expect(box.maxLength).toBe(254);
    fireEvent.input(box, { target: { value: 'ada.example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(box.validity.valid).toBe(false);
    expect(connection.identify).not.toHaveBeenCalled();

    fireEvent.input(box, { target: { value: 'ada@example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(connection.identify).toHaveBeenCalledWith({ email: 'ada@example' });
    Object.assign(connection, { emailError: 'Invalid email address' });
    rerender();
    expect(screen.getByRole('alert').textContent).toBe('Invalid email address');
    expect(box.getAttribute('aria-invalid')).toBe('true');
  });

  it('outside business hours shows the owner\'s away text and asks for an email, though agents are online', () => {
    const settings = { open: false, outsideHoursText: "We're away — leave your email and we'll reply" };
    renderWidget(fakeConnection({ agentsOnline: true, settings } as Partial<ChatConnection>));
    expect(screen.getByText("We're away — leave your email and we'll reply")).toBeTruthy();
    expect(emailBox()).not.toBeNull();
  });
});
