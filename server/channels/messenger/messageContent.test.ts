import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_LENGTH } from '../../../shared/limits';
import { MESSENGER_TEXT_LIMIT, TRUNCATION_MARKER, messengerParts, storedContent } from './messageContent';

describe('storedContent', () => {
  it('keeps text as written, trimmed', () => {
    expect(storedContent({ text: '  Hello there \n' })).toEqual({ body: 'Hello there', attachments: [] });
  });

  it('shortens an over-long text with a visible marker instead of dropping it', () => {
    const { body } = storedContent({ text: 'a'.repeat(MAX_MESSAGE_LENGTH + 500) })!;
    expect(body).toHaveLength(MAX_MESSAGE_LENGTH);
    expect(body.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it('never cuts an emoji in half when shortening', () => {
    const cut = MAX_MESSAGE_LENGTH - TRUNCATION_MARKER.length;
    const { body } = storedContent({ text: 'a'.repeat(cut - 1) + '😀'.repeat(100) })!;
    expect(body).toBe('a'.repeat(cut - 1) + TRUNCATION_MARKER);
  });

  it('shows images and files as links, naming files from their URL, with a body for the list', () => {
    const content = storedContent({
      attachments: [
        { type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg?oh=1' } },
        { type: 'file', payload: { url: 'https://cdn.fbsbx.com/v/t59.2708-21/123_n.pdf/invoice%20May.pdf?_nc_cat=1' } },
      ],
    });
    expect(content).toEqual({
      body: '[Photo] [File]',
      attachments: [
        { type: 'image', url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg?oh=1' },
        { type: 'file', url: 'https://cdn.fbsbx.com/v/t59.2708-21/123_n.pdf/invoice%20May.pdf?_nc_cat=1', name: 'invoice May.pdf' },
      ],
    });
  });

  it('drops attachment URLs that are not http(s), keeping a mention in the body', () => {
    const content = storedContent({
      attachments: [
        { type: 'image', payload: { url: 'javascript:alert(1)' } },
        { type: 'file', payload: { url: 'data:text/html,<script>alert(1)</script>' } },
        { type: 'location', payload: null },
        { type: 'constructor', payload: { url: 'not a url' } },
      ],
    });
    expect(content).toEqual({ body: '[Photo] [File] [Location without coordinates] [Attachment]', attachments: [] });
  });

  it('has nothing to store for an empty message', () => {
    expect(storedContent({ text: '   ' })).toBeNull();
    expect(storedContent({})).toBeNull();
  });
});

describe('messengerParts', () => {
  it('sends a short reply as one part', () => {
    expect(messengerParts('Hi!')).toEqual(['Hi!']);
  });

  it('splits a long reply at whitespace into parts Messenger accepts', () => {
    const words = Array.from({ length: 700 }, (_, i) => `word${i}`).join(' ');
    const parts = messengerParts(words);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MESSENGER_TEXT_LIMIT);
    expect(parts.join(' ')).toBe(words);
  });

  it('splits text without spaces at the limit, never inside an emoji', () => {
    const text = 'x'.repeat(MESSENGER_TEXT_LIMIT - 1) + '😀' + 'y';
    expect(messengerParts(text)).toEqual(['x'.repeat(MESSENGER_TEXT_LIMIT - 1), '😀y']);
  });
});
