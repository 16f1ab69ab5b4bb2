// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, ConversationSummary } from '../../shared/protocol';
import { Thread } from './Thread';
import { message, summary } from '../testing/testSupport';

afterEach(cleanup);

function show(conversation: ConversationSummary, messages: ChatMessage[]) {
  render(
    <Thread conversation={conversation} messages={messages} loading={false} error={null} onRetry={() => {}} onBack={() => {}} />,
  );
  return screen.getByRole('log');
}

describe('the open conversation', () => {
  it('heads the thread with the contact, their email and whether they are online', () => {
    show(summary({ title: 'Ada Lovelace', email: 'ada@example.com', online: true }), []);
    expect(screen.getByRole('heading', { name: 'Ada Lovelace' })).toBeTruthy();
    expect(screen.getByText('ada@example.com')).toBeTruthy();
    expect(screen.getByText('Online')).toBeTruthy();
    cleanup();
    show(summary({ title: 'Visitor #4', online: false }), []);
    expect(screen.getByText('Offline')).toBeTruthy();
  });

  it('shows messages oldest first, visitor left and agent right, each with author, time and channel', () => {
    const c = summary({ id: 40, title: 'Visitor #3' });
    const log = show(c, [
      message({ id: 1, conversationId: 40, body: 'Is anyone there?' }),
      message({ id: 2, conversationId: 40, author: 'agent', authorName: 'Grace', body: 'Hi! How can I help?' }),
    ]);
    const shown = [...log.querySelectorAll('.message')];
    expect(shown.map((m) => m.querySelector('.bubble')?.textContent)).toEqual(['Is anyone there?', 'Hi! How can I help?']);
    expect(shown[0]?.classList).toContain('visitor');
    expect(shown[1]?.classList).toContain('agent');
    expect(within(shown[0] as HTMLElement).getByText('Visitor #3')).toBeTruthy();
    expect(within(shown[1] as HTMLElement).getByText('Grace')).toBeTruthy();
    for (const m of shown) {
      expect(m.querySelector('.channel-label')?.textContent).toBe('Web Chat');
      expect(m.querySelector('time')?.textContent).toMatch(/\d/);
    }
  });

  it('shows HTML in a message as the literal text the visitor typed', () => {
    const log = show(summary({ id: 41 }), [message({ conversationId: 41, body: '<img src=x onerror=alert(1)>' })]);
    expect(log.querySelector('img')).toBeNull();
    expect(within(log).getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
  });

  it('links http(s) and mailto addresses in messages and notes, in a new tab, and leaves every other scheme as text', () => {
    const conversation = summary({ id: 43 });
    render(
      <Thread
        conversation={conversation}
        messages={[
          message({ id: 1, conversationId: 43, body: 'Tracking: https://post.example/t/42. Or javascript:alert(1)' }),
          message({ id: 2, conversationId: 43, author: 'agent', authorName: 'Grace', body: 'Write to mailto:help@lumen.example' }),
        ]}
        notes={[{ id: 9, conversationId: 43, agentId: 1, agentName: 'Grace', body: 'Refund policy: https://wiki.example/refunds', mentions: [], createdAt: Date.now() + 1_000 }]}
        loading={false}
        error={null}
        onRetry={() => {}}
        onBack={() => {}}
      />,
    );
    const links = screen.getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['https://post.example/t/42', 'https://post.example/t/42'],
      ['mailto:help@lumen.example', 'mailto:help@lumen.example'],
      ['https://wiki.example/refunds', 'https://wiki.example/refunds'],
    ]);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    }
    expect(screen.getByText(/Or javascript:alert\(1\)/)).toBeTruthy();
  });

  it('keeps line breaks the visitor typed', () => {
    const log = show(summary({ id: 42 }), [message({ conversationId: 42, body: 'line one\nline two' })]);
    expect(log.querySelector('.bubble')?.textContent).toBe('line one\nline two');
  });

  it('shows how far each outgoing email or Messenger message got, and a failure with its reason', () => {
    const log = show(summary({ id: 43, title: 'Ada', email: 'ada@example.com' }), [
      message({ id: 1, conversationId: 43, body: 'Hi' }),
      message({ id: 2, conversationId: 43, author: 'agent', authorName: 'Grace', channel: 'chat', body: 'Hello!', deliveryState: null }),
      message({ id: 3, conversationId: 43, author: 'agent', authorName: 'Grace', channel: 'email', body: 'By email', deliveryState: 'queued' }),
      message({ id: 4, conversationId: 43, author: 'agent', authorName: 'Grace', channel: 'email', body: 'Again', deliveryState: 'sent' }),
      message({ id: 5, conversationId: 43, author: 'agent', authorName: 'Grace', channel: 'email', body: 'Once more', deliveryState: 'failed', deliveryError: 'Mailbox unavailable' }),
    ]);
    const meta = [...log.querySelectorAll('.message-meta')].map((m) => [m.querySelector('.channel-label')?.textContent, m.querySelector('.delivery-state')?.textContent]);
    expect(meta).toEqual([
      ['Web Chat', undefined],
      ['Web Chat', undefined],
      ['Email', 'Queued'],
      ['Email', 'Sent'],
      ['Email', 'Failed: Mailbox unavailable'],
    ]);
    expect(within(log).getByText('Failed: Mailbox unavailable').classList).toContain('failed');
  });

  it('says when an email reply came from another address than the contact’s', () => {
    const log = show(summary({ id: 44, kind: 'email', title: 'ada@example.com', email: 'ada@example.com' }), [
      message({ id: 1, conversationId: 44, channel: 'email', body: 'Sent from my phone', otherSender: 'ada.l@work.example' }),
    ]);
    expect(within(log).getByText('From another address: ada.l@work.example')).toBeTruthy();
  });

  it('names mail from another address by its sender, not by the contact', () => {
    const log = show(summary({ id: 46, kind: 'email', title: 'Ada Lovelace', email: 'ada@example.com' }), [
      message({ id: 1, conversationId: 46, channel: 'email', body: 'Forwarding this', otherSender: 'Charles Babbage <cb@example.org>' }),
    ]);
    expect(log.querySelector('.message-author')?.textContent).toBe('Charles Babbage <cb@example.org>');
    expect(within(log).queryByText('Ada Lovelace')).toBeNull();
  });

  it('shows a bounced reply with its reason', () => {
    const log = show(summary({ id: 47, kind: 'email', title: 'Ada', email: 'ada@example.com' }), [
      message({ id: 1, conversationId: 47, author: 'agent', authorName: 'Grace', channel: 'email', body: 'Hi', deliveryState: 'bounced', deliveryError: 'Mailbox does not exist (550 5.1.1)' }),
    ]);
    expect(within(log).getByText('Bounced: Mailbox does not exist (550 5.1.1)')).toBeTruthy();
  });

  it('shows an automatic reply as one labelled line whose text opens on demand, not as the contact’s bubble', () => {
    const log = show(summary({ id: 45, kind: 'email', title: 'Ada', email: 'ada@example.com' }), [
      message({ id: 1, conversationId: 45, channel: 'email', body: 'Where is my parcel?' }),
      message({ id: 2, conversationId: 45, channel: 'email', body: 'I am out of the office until Monday.', automatic: true }),
    ]);
    const line = log.querySelector('.message.automatic') as HTMLElement;
    expect(line.querySelector('.bubble')).toBeNull();
    const summaryEl = within(line).getByText('Automatic reply from Ada').closest('summary')!;
    expect(summaryEl.closest('details')?.open).toBe(false);
    // A native disclosure: focusable, opened by Enter or Space, its state announced.
    expect(summaryEl.tagName).toBe('SUMMARY');
    expect(line.querySelector('.automatic-body')?.textContent).toBe('I am out of the office until Monday.');
    expect(log.querySelectorAll('.bubble')).toHaveLength(1);
  });

  it('shows Messenger images as thumbnails and other attachments as links, http(s) only, in a new tab', () => {
    const log = show(summary({ id: 45, kind: 'messenger', title: 'Sam Reed' }), [
      message({
        id: 1,
        conversationId: 45,
        channel: 'messenger',
        body: '',
        attachments: [
          { type: 'image', url: 'https://cdn.example/photo.jpg' },
          { type: 'file', url: 'https://cdn.example/invoice.pdf', name: 'invoice.pdf' },
          { type: 'audio', url: 'https://cdn.example/a.mp3' },
          { type: 'file', url: 'javascript:alert(1)', name: 'trap' },
        ],
      }),
    ]);
    const links = within(log).getAllByRole('link');
    expect(links.map((a) => [a.textContent || a.querySelector('img')?.getAttribute('alt'), a.getAttribute('href')])).toEqual([
      ['Image', 'https://cdn.example/photo.jpg'],
      ['invoice.pdf', 'https://cdn.example/invoice.pdf'],
      ['Attachment', 'https://cdn.example/a.mp3'],
    ]);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(log.querySelector('img')?.getAttribute('src')).toBe('https://cdn.example/photo.jpg');
    expect(within(log).getByText('trap').closest('a')).toBeNull();
    expect(log.querySelector('.bubble')).toBeNull(); // no empty bubble for a message of attachments only
  });

  it('names the channel of an email or Messenger conversation in place of online / offline', () => {
    show(summary({ kind: 'messenger', title: 'Sam Reed' }), []);
    expect(screen.getByRole('banner').querySelector('.channel-hint')?.textContent).toBe('Messenger');
    expect(screen.queryByText('Offline')).toBeNull();
    cleanup();
    show(summary({ kind: 'email', title: 'bob@example.com', email: 'bob@example.com' }), []);
    expect(screen.getByText('Email')).toBeTruthy();
  });
});
