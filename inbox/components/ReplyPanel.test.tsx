// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelSupport } from '../../shared/channels';
import type { ConversationSummary } from '../../shared/protocol';
import { ApiRequestError } from '../api/client';
import { ReplyPanel } from './ReplyPanel';
import { setTeam } from '../state/team';
import { summary } from '../testing/testSupport';

afterEach(() => {
  cleanup();
  setTeam(null);
});

const HOUR = 3_600_000;
const NOW = new Date(2025, 2, 14, 15, 30).getTime();
const everything: ChannelSupport = { email: true, messenger: true };

function show(conversation: ConversationSummary, support: ChannelSupport = everything) {
  const onReply = vi.fn(async () => {});
  const onSendTranscript = vi.fn(async () => {});
  const props = { support, onReply, onSendTranscript, now: NOW, loadSavedResponses: async () => ({ savedResponses: [], categories: [] }) };
  const { rerender } = render(<ReplyPanel conversation={conversation} {...props} />);
  return {
    onReply,
    onSendTranscript,
    /** The same conversation, changed (a presence frame, say), as the page would pass it down. */
    update: (changed: Partial<ConversationSummary>) => rerender(<ReplyPanel conversation={{ ...conversation, ...changed }} {...props} />),
  };
}

const channel = () => screen.getByLabelText('Channel') as HTMLSelectElement;
const options = () => [...channel().options].map((o) => `${o.text}${o.disabled ? ' (disabled)' : ''}`);
const box = () => screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;
const send = () => screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
const type = (text: string) => fireEvent.input(box(), { target: { value: text } });

const ada = { kind: 'web', title: 'Ada Lovelace', email: 'ada@example.com' } as const;

describe('the reply channel', () => {
  it('answers an online web visitor on Web Chat, and switches to Email by itself when they leave', () => {
    const { update } = show(summary({ ...ada, online: true }));
    expect(options()).toEqual(['Web Chat', 'Email']);
    expect(channel().value).toBe('chat');
    expect(box().placeholder).toBe('Reply to Ada Lovelace…');

    update({ online: false });
    expect(channel().value).toBe('email');
    expect(box().placeholder).toBe('Reply by email to Ada Lovelace…');
    expect(screen.getByText('to ada@example.com')).toBeTruthy();

    update({ online: true });
    expect(channel().value).toBe('chat');
  });

  it('answers by Email while every agent is Away (the widget asked for an email), and by chat once one is Available', async () => {
    const grace = { id: 2, name: 'Grace', avatarUrl: null, available: false };
    setTeam([{ id: 1, name: 'Ada', avatarUrl: null, available: false }, grace]);
    show(summary({ ...ada, online: true }));
    expect(channel().value).toBe('email');

    setTeam([{ id: 1, name: 'Ada', avatarUrl: null, available: false }, { ...grace, available: true }]);
    await waitFor(() => expect(channel().value).toBe('chat'));
  });

  it('keeps the channel the agent picked, whatever the visitor does', () => {
    const { update } = show(summary({ ...ada, online: false }));
    expect(channel().value).toBe('email');
    fireEvent.change(channel(), { target: { value: 'chat' } });
    update({ online: true });
    update({ online: false });
    expect(channel().value).toBe('chat');
  });

  it('greys out Email, saying why, while no email address is known', () => {
    show(summary({ kind: 'web', title: 'Visitor #4', email: null, online: false }));
    expect(options()).toEqual(['Web Chat', 'Email (disabled)']);
    expect(channel().value).toBe('chat');
    expect(screen.getByText('Email: No email address known for this visitor yet')).toBeTruthy();
  });

  it('offers Messenger only in Messenger conversations, and only Email in email ones', () => {
    show(summary({ kind: 'messenger', title: 'Messenger user', lastInboundAt: NOW - HOUR }));
    expect(options()).toEqual(['Messenger']);
    expect(box().placeholder).toBe('Reply on Messenger to Messenger user…');
    cleanup();
    show(summary({ kind: 'email', title: 'bob@example.com', email: 'bob@example.com' }));
    expect(options()).toEqual(['Email']);
    cleanup();
    show(summary({ ...ada, online: true }));
    expect(options()).not.toContain('Messenger');
  });

  it('refuses to send where the server cannot deliver, and says so', () => {
    show(summary({ kind: 'email', title: 'bob@example.com', email: 'bob@example.com' }), { email: false, messenger: false });
    expect(options()).toEqual(['Email (disabled)']);
    expect(screen.getByText('Email: Email sending is not configured')).toBeTruthy();
    type('Hello');
    expect(send().disabled).toBe(true);
  });

  it('sends the reply on the chosen channel', async () => {
    const { onReply } = show(summary({ ...ada, online: false }));
    type('Your order ships today');
    fireEvent.click(send());
    await waitFor(() => expect(box().value).toBe(''));
    expect(onReply).toHaveBeenCalledWith({ body: 'Your order ships today', clientId: expect.any(String), channel: 'email' });
  });

  it('shows the server’s refusal next to the box and keeps the text', async () => {
    const { onReply } = show(summary({ ...ada, online: false }));
    onReply.mockRejectedValueOnce(new ApiRequestError('No email address is known for this visitor', 409));
    type('Are you still there?');
    fireEvent.click(send());
    expect((await screen.findByRole('alert')).textContent).toBe('No email address is known for this visitor');
    expect(box().value).toBe('Are you still there?');
  });
});

describe('"Send chat thread"', () => {
  it('emails the transcript in one click, with the text as its note, then clears the box', async () => {
    const { onSendTranscript, onReply } = show(summary({ ...ada, online: false }));
    type('Here is our chat, as promised');
    fireEvent.click(screen.getByRole('button', { name: 'Send chat thread' }));
    await waitFor(() => expect(box().value).toBe(''));
    expect(onSendTranscript).toHaveBeenCalledWith({ note: 'Here is our chat, as promised', clientId: expect.any(String) });
    expect(onReply).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Send chat thread' }));
    await waitFor(() => expect(onSendTranscript).toHaveBeenCalledTimes(2));
    expect(onSendTranscript).toHaveBeenLastCalledWith({ clientId: expect.any(String) }); // no note
  });

  it('is there only while Email is chosen for a web visitor', () => {
    show(summary({ ...ada, online: true }));
    expect(screen.queryByRole('button', { name: 'Send chat thread' })).toBeNull();
    fireEvent.change(channel(), { target: { value: 'email' } });
    expect(screen.getByRole('button', { name: 'Send chat thread' })).toBeTruthy();
    cleanup();
    show(summary({ kind: 'email', title: 'bob@example.com', email: 'bob@example.com' }));
    expect(screen.queryByRole('button', { name: 'Send chat thread' })).toBeNull();
  });
});

describe('Messenger’s reply window', () => {
  const messenger = (lastInboundAt: number | null) => summary({ kind: 'messenger', title: 'Sam Reed', lastInboundAt });

  it('counts down the 24 hours for a normal reply', async () => {
    const { onReply } = show(messenger(NOW - 30 * 60_000));
    expect(screen.getByText('23 h left to reply')).toBeTruthy();
    type('Hi Sam');
    fireEvent.click(send());
    await waitFor(() => expect(onReply).toHaveBeenCalledWith({ body: 'Hi Sam', clientId: expect.any(String), channel: 'messenger' }));
    cleanup();
    show(messenger(NOW - 23 * HOUR - 20 * 60_000));
    expect(screen.getByText('40 min left to reply')).toBeTruthy();
  });

  it('after 24 hours, sends only with the HUMAN_AGENT tag the agent ticks', async () => {
    const { onReply } = show(messenger(NOW - 30 * HOUR));
    expect(screen.getByText(/^More than 24 hours since their last message: Messenger only allows a reply with the HUMAN_AGENT tag, until /)).toBeTruthy();
    type('Sorry for the wait');
    expect(send().disabled).toBe(true);
    fireEvent.keyDown(box(), { key: 'Enter', ctrlKey: true });
    expect(onReply).not.toHaveBeenCalled();

    fireEvent.click(screen.getByLabelText('Send with the HUMAN_AGENT tag'));
    expect(send().disabled).toBe(false);
    fireEvent.click(send());
    await waitFor(() =>
      expect(onReply).toHaveBeenCalledWith({ body: 'Sorry for the wait', clientId: expect.any(String), channel: 'messenger', messengerTag: 'HUMAN_AGENT' }),
    );
  });

  it('after 7 days (or before they ever wrote), says nothing can be sent until they write again', () => {
    show(messenger(NOW - 8 * 24 * HOUR));
    expect(screen.getByText(/nothing can be sent until they write again/)).toBeTruthy();
    type('Hello?');
    expect(send().disabled).toBe(true);
    expect(screen.queryByLabelText('Send with the HUMAN_AGENT tag')).toBeNull();
    cleanup();
    show(messenger(null));
    expect(screen.getByText(/nothing can be sent until they write again/)).toBeTruthy();
  });
});
