// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageAttachments, fileSize } from './MessageAttachments';

afterEach(cleanup);

describe('a message’s attachments', () => {
  it('names each kept file with its size and type, and downloads it from our copy', () => {
    render(
      <MessageAttachments
        attachments={[
          { type: 'file', url: '/api/attachments/7', name: 'invoice.pdf', mimeType: 'application/pdf', size: 86_016 },
          { type: 'image', url: '/api/attachments/8', name: 'dingusfish.gif', mimeType: 'image/gif', size: 3512 },
        ]}
      />,
    );
    const pdf = screen.getByRole('link', { name: 'Download invoice.pdf, 84 KB · PDF' });
    expect(pdf.getAttribute('href')).toBe('/api/attachments/7');
    expect(pdf.getAttribute('target')).toBeNull();
    expect(pdf.textContent).toBe('invoice.pdf84 KB · PDF');
    const image = screen.getByRole('link', { name: 'Open dingusfish.gif, 3 KB · GIF image' });
    const thumbnail = image.querySelector('img')!;
    expect(thumbnail.getAttribute('src')).toBe('/api/attachments/8');
    expect(thumbnail.getAttribute('loading')).toBe('lazy');
    expect(thumbnail.getAttribute('alt')).toBe('dingusfish.gif');
  });

  it('says which file was not kept and why, with nothing to click', () => {
    render(<MessageAttachments attachments={[{ type: 'image', url: '', name: 'holiday.jpg', size: 12_000_000, notKept: 'larger than 10 MB, the limit per file' }]} />);
    expect(screen.getByText('Not kept: larger than 10 MB, the limit per file')).toBeTruthy();
    expect(screen.getByText('holiday.jpg')).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('shows a forwarded email by its subject, its text one keypress away', () => {
    render(
      <MessageAttachments
        attachments={[{ type: 'message', url: '/api/attachments/9', name: 'GroupwiseForwardingTest', mimeType: 'message/rfc822', size: 375, text: 'Testing email forwarding' }]}
      />,
    );
    expect(screen.getByRole('link', { name: 'Download GroupwiseForwardingTest, 375 bytes · Email' })).toBeTruthy();
    const toggle = screen.getByText('Show the forwarded email’s text');
    expect(toggle.tagName).toBe('SUMMARY');
    fireEvent.click(toggle);
    expect(screen.getByText('Testing email forwarding')).toBeTruthy();
  });

  it('never links to another service’s address unless it is http(s)', () => {
    render(<MessageAttachments attachments={[{ type: 'file', url: 'javascript:alert(1)', name: 'trap' }]} />);
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('writes sizes the way people read them', () => {
    expect([fileSize(512), fileSize(86_016), fileSize(3 * 1024 * 1024 + 200_000)]).toEqual(['512 bytes', '84 KB', '3.2 MB']);
  });
});
