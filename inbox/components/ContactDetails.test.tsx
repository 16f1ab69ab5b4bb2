// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContactPanel, ParticipantKind } from '../../shared/protocol';
import { ContactDetails } from './ContactDetails';
import { safeHref } from './safeHref';
import { contact } from '../testing/testSupport';

afterEach(cleanup);

function show(c: ContactPanel, onOpen = vi.fn(), kind: ParticipantKind = 'web') {
  render(<ContactDetails contact={c} kind={kind} shown={false} onHide={() => {}} onOpen={onOpen} />);
  return { panel: screen.getByRole('complementary', { name: 'Contact details' }), onOpen };
}

/** The value shown for a label in the panel's list of facts. */
const fact = (panel: HTMLElement, label: string) =>
  [...panel.querySelectorAll('dt')].find((dt) => dt.textContent === label)?.nextElementSibling as HTMLElement;

describe('the contact panel', () => {
  it('shows the contact’s details', () => {
    const { panel } = show(
      contact({
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        firstSeen: new Date(2025, 2, 14, 12, 0).getTime(),
        pageUrl: 'https://shop.example/pricing?plan=pro',
        referrer: 'https://www.google.com/',
        browser: 'Firefox 128',
        os: 'macOS',
        conversationCount: 3,
      }),
    );
    expect(within(panel).getByRole('heading', { name: 'Ada Lovelace' })).toBeTruthy();
    expect(fact(panel, 'Email').textContent).toBe('ada@example.com');
    expect(fact(panel, 'First seen').textContent).toMatch(/2025/);
    expect(fact(panel, 'Browser').textContent).toBe('Firefox 128');
    expect(fact(panel, 'OS').textContent).toBe('macOS');
    expect(fact(panel, 'Conversations').textContent).toBe('3');
    const page = within(panel).getByRole('link', { name: 'https://shop.example/pricing?plan=pro' });
    expect(page.getAttribute('rel')).toBe('noopener noreferrer');
    expect(page.getAttribute('target')).toBe('_blank');
    expect(within(fact(panel, 'Referrer')).getByRole('link').getAttribute('href')).toBe('https://www.google.com/');
  });

  it('marks an address the visitor only typed as "Unverified", in words with the reason', () => {
    const { panel } = show(contact({ email: 'carol@example.com', emailVerified: false }));
    const mark = within(fact(panel, 'Email')).getByText('Unverified');
    expect(mark.getAttribute('title')).toMatch(/has not proved it is theirs/);
    expect(fact(panel, 'Email').textContent).toMatch(/^carol@example\.com Unverified: The visitor typed this address/);
    cleanup();
    const verified = show(contact({ email: 'carol@example.com', emailVerified: true })).panel;
    expect(fact(verified, 'Email').textContent).toBe('carol@example.com');
  });

  it('calls a nameless visitor "Anonymous visitor"', () => {
    const { panel } = show(contact());
    expect(within(panel).getByRole('heading', { name: 'Anonymous visitor' })).toBeTruthy();
  });

  it('never turns a javascript: (or any non-http) address into a link', () => {
    const { panel } = show(contact({ pageUrl: 'javascript:alert(document.cookie)', referrer: 'data:text/html,<b>x</b>' }));
    expect(within(panel).queryByRole('link')).toBeNull();
    expect(fact(panel, 'Page').textContent).toBe('javascript:alert(document.cookie)');
    expect(fact(panel, 'Referrer').textContent).toBe('data:text/html,<b>x</b>');
    expect(safeHref(' JavaScript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
    expect(safeHref('http://example.com')).toBe('http://example.com/');
  });

  it('lists the contact’s other conversations and opens one on click', () => {
    const { panel, onOpen } = show(
      contact({
        conversationCount: 2,
        otherConversations: [{ id: 12, lastMessageAt: Date.now(), lastMessagePreview: 'About my order', status: 'complete' }],
      }),
    );
    fireEvent.click(within(panel).getByRole('button', { name: /About my order/ }));
    expect(onOpen).toHaveBeenCalledWith(12);
  });

  it('shows email and Messenger contacts by their channel, without the browsing facts they cannot have', () => {
    const { panel } = show(contact(), vi.fn(), 'messenger');
    expect(within(panel).getByRole('heading', { name: 'Messenger user' })).toBeTruthy();
    expect(fact(panel, 'Channel').textContent).toBe('Messenger');
    for (const label of ['Email', 'Page', 'Referrer', 'Browser', 'OS']) expect(fact(panel, label)).toBeUndefined();
    cleanup();
    const email = show(contact({ email: 'bob@example.com' }), vi.fn(), 'email').panel;
    expect(within(email).getByRole('heading', { name: 'bob@example.com' })).toBeTruthy();
    expect(fact(email, 'Channel').textContent).toBe('Email');
    expect(fact(email, 'Email').textContent).toBe('bob@example.com');
    expect(within(email).queryByText('Unknown')).toBeNull();
  });
});
