// HTML-only mail as agents read it: the words, entities decoded, no markup, and hostile markup read
// in one pass (asserted on what comes out, never on how long it took).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlToText, htmlToTexts, HtmlTooComplexError, MAX_HTML_DEPTH, MAX_HTML_TEXT_LENGTH } from './htmlToText';
import { visibleReplyText } from './replyText';

const example = (name: string) => readFileSync(join(import.meta.dirname, '../../../testing/corpus/mailtext/html', name), 'utf8');

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

describe('the new part of an HTML reply', () => {
  /** What the agent reads of an HTML-only email (as parse.ts does it). */
  const newPart = (html: string) => visibleReplyText(htmlToTexts(html).newText);

  it("drops an Office 365 reply's quoted thread, keeping the sender's paragraphs (planer's example)", () => {
    const html = example('office-365.html');
    expect(newPart(html)).toBe(
      "Hey Ms. Dolphin --\n\nIt has been so great to chat with you these past few days.\n\nI really hope that you're doing well!\n\nGreat. Bye!\n\nCheers,\n\nMr. Cat",
    );
    // Nothing is lost: the whole text is kept beside it.
    expect(htmlToTexts(html).text).toContain('Wow, what a lovely email! Thank you!');
  });

  it("drops Outlook desktop's From/Sent block under a top border (planer's example)", () => {
    const visible = newPart(example('microsoft-namespaces.html'));
    expect(visible).toMatch(/^Hi John - Lorem ipsum dolor sit amet/);
    expect(visible).not.toMatch(/From: John Doe|Hey James/);
  });

  it.each([
    ['Gmail', '<div dir="ltr">Thanks, it arrived.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Jun 3, 2025 at 10:00 AM Ann &lt;ann@example.com&gt; wrote:<br></div><blockquote class="gmail_quote">Where is my order?</blockquote></div>'],
    ['Outlook on the web', '<div>Thanks, it arrived.</div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Ann<br><b>Sent:</b> Tuesday<br></div><div>Where is my order?</div>'],
    ['Outlook (appendonsend)', '<div>Thanks, it arrived.</div><div id="appendonsend"></div><div>Where is my order?</div>'],
    ['Apple Mail', '<div>Thanks, it arrived.</div><div><br><blockquote type="cite"><div>On 3 Jun 2025, at 10:00, Ann wrote:</div><div>Where is my order?</div></blockquote></div>'],
    ['Thunderbird', '<p>Thanks, it arrived.</p><div class="moz-cite-prefix">On 03/06/2025 10:00, Ann wrote:<br></div><blockquote><p>Where is my order?</p></blockquote>'],
    ['Yahoo', '<div>Thanks, it arrived.</div><div class="yahoo_quoted"><div>On Tuesday, June 3, 2025, Ann wrote:</div><div>Where is my order?</div></div>'],
  ])('drops the quoted history %s marks', (_client, html) => {
    expect(newPart(html)).toBe('Thanks, it arrived.');
    expect(htmlToTexts(html).text).toContain('Where is my order?');
  });

  it('keeps answers written between Apple Mail quotes', () => {
    const html = '<blockquote type="cite">Can you ship Monday?</blockquote><div>Yes, Monday.</div><blockquote type="cite">And the invoice?</blockquote><div>Attached.</div>';
    expect(newPart(html)).toBe('Yes, Monday.\nAttached.');
  });

  it('keeps line breaks, list items and table cells readable, and collapses indented blank runs', () => {
    const html = '<p>Order&nbsp;#12:</p><ul><li>2 &times; mugs</li><li>1 &times; tray</li></ul><table><tr><td>Total</td><td>&euro;24</td></tr></table><div>&nbsp;</div><div>   </div><div>&nbsp;&nbsp;</div><p>&#8212; Ann</p>';
    expect(htmlToText(html)).toBe('Order #12:\n\n- 2 × mugs\n- 1 × tray\n\nTotal €24\n\n— Ann');
  });
});
