// The readable text of an HTML email, for agents who read replies as plain text. Markup is parsed by
// htmlparser2 (a tokenizer that reads each character once) into a DOM that is walked without
// recursion; this module never runs a regular expression over markup. It must never return HTML:
// what it gives back is shown as text, and is bounded in length.
import { DomHandler, type ChildNode, type Element } from 'domhandler';
import { Parser } from 'htmlparser2';

/** Elements whose content is not text a reader sees. */
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg']);
/** Elements that start and end a line of their own. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer',
  'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody',
  'thead', 'tfoot', 'tr', 'ul',
]);
/** Blocks set apart by a blank line, as a reader sees paragraphs. */
const PARAGRAPHS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'ul', 'ol', 'pre']);

/** Longest text returned, in characters: the whole email is kept elsewhere; this is for reading. */
export const MAX_HTML_TEXT_LENGTH = 1_000_000;

/**
 * Deepest element nesting read. htmlparser2 keeps its open elements in an array it shifts at every
 * tag, so each tag costs time in proportion to the depth: 80,000 nested <div>s took 1 s, 600,000
 * over three minutes. Real mail nests a few dozen deep; browsers stop at 512.
 */
export const MAX_HTML_DEPTH = 256;
/** Most elements read: a long newsletter has a few thousand; each costs memory in the DOM. */
export const MAX_HTML_ELEMENTS = 100_000;

/** The HTML nests deeper or holds more elements than a letter does: a hostile message. */
export class HtmlTooComplexError extends Error {}

/** domhandler's DOM builder, refusing more than MAX_HTML_DEPTH / MAX_HTML_ELEMENTS (what keeps the parse linear and small). */
class BoundedDomHandler extends DomHandler {
  private depth = 0;
  private elements = 0;
  override onopentag(name: string, attribs: Record<string, string>): void {
    if (++this.depth > MAX_HTML_DEPTH) throw new HtmlTooComplexError(`The HTML nests more than ${MAX_HTML_DEPTH} elements deep`);
    if (++this.elements > MAX_HTML_ELEMENTS) throw new HtmlTooComplexError(`The HTML has more than ${MAX_HTML_ELEMENTS} elements`);
    super.onopentag(name, attribs);
  }
  override onclosetag(): void {
    this.depth--;
    super.onclosetag();
  }
}

type Piece = string | { close: string };

/** The whole text of an HTML email, and its new part: the same, without the history the client quoted. */
export interface HtmlTexts {
  text: string;
  newText: string;
}

/** Plain text of an HTML document: entities decoded, scripts and styles dropped, blocks on their own lines. */
export function htmlToText(html: string, maxLength = MAX_HTML_TEXT_LENGTH): string {
  return textOf(parseHtml(html).children, maxLength, false);
}

/** Both texts of an HTML email from one parse (see HtmlTexts). */
export function htmlToTexts(html: string, maxLength = MAX_HTML_TEXT_LENGTH): HtmlTexts {
  const { children } = parseHtml(html);
  return { text: textOf(children, maxLength, false), newText: textOf(children, maxLength, true) };
}

function parseHtml(html: string) {
  const handler = new BoundedDomHandler();
  new Parser(handler, { decodeEntities: true }).end(html);
  return handler.root;
}

const classes = (el: Element) => (el.attribs['class'] ?? '').toLowerCase().split(/\s+/);

/**
 * How the quoted history of a reply is marked in the HTML real clients write: 'skip' drops the
 * element (what follows may be the sender's answer), 'end' drops it and everything after it.
 */
function quotedHistory(el: Element, previous: Element | null): 'skip' | 'end' | null {
  const id = (el.attribs['id'] ?? '').toLowerCase();
  // Outlook (Office 365, Outlook on the web): the answered message's headers, then the message.
  if (id === 'divrplyfwdmsg' || id === 'appendonsend') return 'end';
  const names = classes(el);
  // Gmail; Yahoo; Thunderbird's "On … wrote:" line.
  if (names.includes('gmail_quote') || names.includes('gmail_quote_container') || names.includes('yahoo_quoted')) return 'skip';
  if (names.includes('moz-cite-prefix')) return 'skip';
  if (el.name === 'blockquote') {
    // Apple Mail and Thunderbird; a blockquote right after Thunderbird's line is its quote.
    if ((el.attribs['type'] ?? '').toLowerCase() === 'cite') return 'skip';
    if (previous && classes(previous).includes('moz-cite-prefix')) return 'skip';
  }
  return null;
}

/** The element before `node` among its siblings, past white space. */
function previousElement(node: ChildNode): Element | null {
  for (let prev = node.prev; prev; prev = prev.prev) {
    if (prev.type === 'tag') return prev as Element;
    if (prev.type === 'text' && prev.data.trim() !== '') return null;
  }
  return null;
}

function textOf(roots: ChildNode[], maxLength: number, withoutQuotes: boolean): string {
  const out: string[] = [];
  let length = 0;
  // Line breaks asked for by block edges (1: a new line, 2: a blank line), written before the next
  // text, so that the edges of nested blocks make one break, not a pile of them.
  let pendingBreak = 0;
  const lineBreak = (lines: 1 | 2) => (pendingBreak = Math.max(pendingBreak, lines));
  const emit = (text: string) => {
    if (pendingBreak > 0) {
      if (text.trim() === '') return; // the white space between two blocks
      if (length > 0) out.push('\n'.repeat(pendingBreak));
      pendingBreak = 0;
    }
    out.push(text);
    length += text.length;
  };
  // An explicit stack, not recursion: no call stack to overflow however the elements nest.
  const stack: (ChildNode | Piece)[] = [...roots].reverse();
  let inPre = 0;
  while (stack.length > 0 && length < maxLength) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      emit(item);
      continue;
    }
    if ('close' in item) {
      if (item.close === 'pre') inPre--;
      lineBreak(PARAGRAPHS.has(item.close) ? 2 : 1);
      continue;
    }
    if (item.type === 'text') {
      // Inside <pre> the spacing is the author's; elsewhere HTML collapses runs of white space.
      emit(inPre > 0 ? item.data : item.data.replace(/[ \t\r\n\f]+/g, ' '));
    } else if (item.type === 'tag') {
      const name = item.name.toLowerCase();
      if (SKIPPED.has(name)) continue;
      if (withoutQuotes) {
        const quoted = quotedHistory(item, previousElement(item));
        if (quoted === 'end') break;
        if (quoted === 'skip') continue;
      }
      if (name === 'br') {
        if (pendingBreak === 0) emit('\n');
        continue;
      }
      if (BLOCKS.has(name)) {
        lineBreak(PARAGRAPHS.has(name) ? 2 : 1);
        if (name === 'pre') inPre++;
        if (name === 'li') emit('- ');
        stack.push({ close: name });
      } else if (name === 'td' || name === 'th') {
        stack.push(' ');
      }
      for (let i = item.children.length - 1; i >= 0; i--) stack.push(item.children[i]!);
    }
  }
  return tidy(out.join('')).slice(0, maxLength);
}

/** Trims each line and keeps at most one blank line between paragraphs. */
function tidy(text: string): string {
  const lines: string[] = [];
  let blank = true; // no blank lines at the start
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\u00a0/g, ' ').trim();
    if (line === '') {
      if (!blank) lines.push('');
      blank = true;
    } else {
      lines.push(line);
      blank = false;
    }
  }
  while (lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}
