// @vitest-environment happy-dom
// "Show original": an agent opens, in place, the whole email a short message came from, and can
// download its source; nothing is fetched until asked, and markup in the email stays text.
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../shared/protocol';
import { message, summary } from '../testing/testSupport';
import { EmailOriginal } from './EmailOriginal';
import { Thread } from './Thread';

const ORIGINAL = 'Yes, Tuesday works.\n\n-----Original Message-----\nFrom: Support\n<img src=x onerror=alert(1)> Can you come Tuesday?';

function serveOriginal(status = 200, sourceKept = true) {
  const fetchMock = vi.fn(async (path: string) =>
    status === 200
      ? new Response(ORIGINAL, { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Parley-Raw-Source': sourceKept ? 'kept' : 'none' } })
      : new Response(JSON.stringify({ error: 'No email for this message' }), { status, headers: { 'Content-Type': 'application/json' } }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Show original', () => {
  it('expands the whole email in place, as text, with a download of its source', async () => {
    const fetchMock = serveOriginal();
    render(<EmailOriginal messageId={7} />);
    const button = screen.getByRole('button', { name: 'Show original' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(fetchMock).not.toHaveBeenCalled();

    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const text = await screen.findByLabelText('Whole text of the email');
    expect(text.textContent).toBe(ORIGINAL);
    expect(document.querySelector('img')).toBeNull(); // the email's markup is words, not elements
    expect(fetchMock).toHaveBeenCalledWith('/api/messages/7/original', expect.anything());
    const download = screen.getByRole('link', { name: 'Download the source (.eml)' });
    expect(download.getAttribute('href')).toBe('/api/messages/7/original/source');
    expect(download.hasAttribute('download')).toBe(true);
    expect(screen.getByRole('region', { name: 'Original email' }).id).toBe(button.getAttribute('aria-controls'));

    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByLabelText('Whole text of the email')).toBeNull();
  });

  it('offers no download when the source was not kept, and says why it failed when it fails', async () => {
    serveOriginal(200, false);
    render(<EmailOriginal messageId={8} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show original' }));
    await screen.findByLabelText('Whole text of the email');
    expect(screen.queryByRole('link')).toBeNull();
    cleanup();

    serveOriginal(404);
    render(<EmailOriginal messageId={9} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show original' }));
    expect((await screen.findByRole('alert')).textContent).toBe('No email for this message');
  });

  it('is offered under messages that came by email, and nowhere else', () => {
    const messages: ChatMessage[] = [
      message({ id: 1, conversationId: 5, channel: 'email', body: 'Yes, Tuesday works.' }),
      message({ id: 2, conversationId: 5, channel: 'chat', body: 'Hello from the widget' }),
      message({ id: 3, conversationId: 5, channel: 'email', author: 'agent', authorName: 'Grace', body: 'See you then.' }),
    ];
    render(<Thread conversation={summary({ id: 5 })} messages={messages} loading={false} error={null} onRetry={() => {}} onBack={() => {}} />);
    const buttons = screen.getAllByRole('button', { name: 'Show original' });
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.closest('.message')?.querySelector('.bubble')?.textContent).toBe('Yes, Tuesday works.');
  });
});
