// HTML-only mail as agents read it: the words, entities decoded, no markup, and hostile markup read
// in one pass (asserted on what comes out, never on how long it took).
import { describe, expect, it } from 'vitest';
import { htmlToText, HtmlTooComplexError, MAX_HTML_DEPTH, MAX_HTML_TEXT_LENGTH } from './htmlToText';

describe('htmlToText', () => {
  it('gives the words of an HTML email, one block to a line, without scripts, styles or the head', () => {
    const html =
      '<html><head><title>Newsletter</title><style>p { color: red }</style></head><body>' +
      '<div dir="ltr">Perfect, I&#39;ll take two<br>Thanks!</div><p>Second   paragraph\n spread over lines</p>' +
      '<ul><li>one</li><li>two</li></ul><table><tr><td>Total</td><td>12</td></tr></table>' +
      '<script>alert(1)</script></body></html>';
    expect(htmlToText(html)).toBe("Perfect, I'll take two\nThanks!\n\nSecond paragraph spread over lines\n\n- one\n- two\n\nTotal 12");
  });

  it('decodes named, decimal and hex entities, and shows escaped markup as text', () => {
    expect(htmlToText('<p>Caf&eacute; &#8217;25 &euro;5 &#x2014; &lt;b&gt;not bold&lt;/b&gt; &amp;&nbsp;co</p>')).toBe(
      'Café ’25 €5 — <b>not bold</b> & co',
    );
  });

  it('reads 10 MB of unclosed <a tags to nothing, in one pass', () => {
    expect(htmlToText(`<p>Hello</p>${'<a'.repeat(5 * 1024 * 1024)}`)).toBe('Hello');
  });

  it('refuses markup nested deeper than a letter ever is', () => {
    expect(() => htmlToText('<div>'.repeat(2_000_000))).toThrow(HtmlTooComplexError);
    expect(htmlToText(`${'<div>'.repeat(MAX_HTML_DEPTH - 2)}deep enough`)).toBe('deep enough');
  });

  it('stops at its length bound', () => {
    const text = htmlToText(`<p>${'word '.repeat(MAX_HTML_TEXT_LENGTH)}</p>`);
    expect(text.length).toBeLessThanOrEqual(MAX_HTML_TEXT_LENGTH);
    expect(text.startsWith('word word')).toBe(true);
  });
});
