import { describe, expect, it } from 'vitest';
import { linkify, type TextPart } from './linkify';

const links = (text: string) => linkify(text).filter((p) => p.href !== undefined);

describe('linkify', () => {
  it('splits a message into text and links, and joining the parts gives the message back', () => {
    const text = 'Our hours: https://lumen.example/hours or write to mailto:help@lumen.example today';
    const parts = linkify(text);
    expect(parts).toEqual([
      { text: 'Our hours: ' },
      { text: 'https://lumen.example/hours', href: 'https://lumen.example/hours' },
      { text: ' or write to ' },
      { text: 'mailto:help@lumen.example', href: 'mailto:help@lumen.example' },
      { text: ' today' },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });

  it('leaves a sentence’s punctuation out of the link', () => {
    expect(links('see https://x.org/a.')).toEqual([{ text: 'https://x.org/a', href: 'https://x.org/a' }]);
    expect(links('is it https://x.org/?q=1?!')).toEqual([{ text: 'https://x.org/?q=1', href: 'https://x.org/?q=1' }]);
    expect(links('"https://x.org/quoted", she said')[0]?.text).toBe('https://x.org/quoted');
    expect(links('<https://x.org/angle>')[0]?.text).toBe('https://x.org/angle');
  });

  it('keeps balanced parentheses and drops the one that closes the sentence', () => {
    expect(links('https://en.wikipedia.org/wiki/Java_(programming_language)')[0]?.text).toBe(
      'https://en.wikipedia.org/wiki/Java_(programming_language)',
    );
    expect(links('(see https://x.org/page)')[0]?.text).toBe('https://x.org/page');
    expect(links('(see https://x.org/Java_(lang)).')[0]?.text).toBe('https://x.org/Java_(lang)');
  });

  it('links http, https and mailto in any case, and nothing else', () => {
    expect(links('HTTPS://X.ORG/Path')).toEqual([{ text: 'HTTPS://X.ORG/Path', href: 'https://x.org/Path' }]);
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://files.example',
      'www.example.com',
      '<a href="//x.org">x</a>',
      'xhttps://x.org',
      'https://',
      'mailto:',
      'http:// spaced.example',
    ]) {
      expect(links(text), text).toEqual([]);
    }
  });

  it('gives a markdown link’s address as text around it, never interpreting the markup', () => {
    expect(linkify('[click](https://x.org)')).toEqual([
      { text: '[click](' },
      { text: 'https://x.org', href: 'https://x.org/' },
      { text: ')' },
    ]);
  });

  it('never produces an href other than http(s) or mailto, whatever the text', () => {
    const pieces = ['https://', 'http://', 'mailto:', 'javascript:', 'a', '@', '(', ')', '.', ' ', '/', ':', '%0a', '\u0000', 'é', '"', '<'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: 12 }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const parts: TextPart[] = linkify(text);
      expect(parts.map((p) => p.text).join('')).toBe(text);
      for (const part of parts) {
        if (part.href !== undefined) expect(['http:', 'https:', 'mailto:']).toContain(new URL(part.href).protocol);
      }
    }
  });

  it('splits 100 KB of adversarial text in linear time', () => {
    const adversarial = [
      'http://'.repeat(15_000),
      'https://x.org/' + '('.repeat(100_000),
      'https://x.org/' + ')'.repeat(100_000),
      'https://x.org/' + '.'.repeat(100_000),
      'mailto:'.repeat(15_000) + '!',
      'h'.repeat(50_000) + 'ttp:/'.repeat(10_000),
      'https://a.b '.repeat(9_000),
      'ahttp://'.repeat(12_000),
    ];
    for (const text of adversarial) {
      const started = performance.now();
      const parts = linkify(text);
      // Tens of milliseconds here; anything quadratic in 100 KB takes seconds.
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(500);
      expect(parts.map((p) => p.text).join('')).toBe(text);
    }
  });
});
