// Finds the http(s) and mailto: addresses in a message's text so the widget and the inbox can show
// them as links. It never interprets anything else (no markdown, no HTML) and never backtracks: one
// pass over the text, so a 100 KB message from a stranger costs a few milliseconds. The widget ships
// this file, so it stays plain code with no library.

/** A run of the text: plain, or an address with the href to open (always http:, https: or mailto:). */
export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

// A fixed alternation after a word boundary: matched in linear time, whatever the input.
const SCHEME = /\b(?:https?:\/\/|mailto:)/gi;
// Where an address ends: whitespace, and the characters that delimit one in prose (<https://x>, "…").
const ENDS_ADDRESS = /[\s<>"]/;
// Punctuation that ends a sentence rather than an address ("see https://x.org/a." links without the dot).
const TRAILING = '.,:;!?\'*';
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The end of the address that starts at `start`: up to a delimiter, minus trailing punctuation and unpaired brackets. */
function addressEnd(text: string, start: number): number {
  let end = start;
  let open = 0; // "(" minus ")" and "[" minus "]" seen so far, so a closing one can be weighed in one pass
  let openSquare = 0;
  while (end < text.length && !ENDS_ADDRESS.test(text.charAt(end))) {
    const ch = text.charAt(end);
    if (ch === '(') open++;
    else if (ch === ')') open--;
    else if (ch === '[') openSquare++;
    else if (ch === ']') openSquare--;
    end++;
  }
  // Each step drops one character, so trimming is linear too; a closing bracket stays when it pairs one inside.
  for (;;) {
    const last = text.charAt(end - 1);
    if (TRAILING.includes(last)) end--;
    else if (last === ')' && open < 0) {
      end--;
      open++;
    } else if (last === ']' && openSquare < 0) {
      end--;
      openSquare++;
    } else return end;
  }
}

/** The href for an address as written, or null if it is not one (no host, nothing after mailto:). */
function hrefOf(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (!LINK_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol === 'mailto:' ? !url.pathname : !url.hostname) return null;
  return url.href;
}

/** The text split into plain runs and links, in order; joining every part's text gives the text back. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  SCHEME.lastIndex = 0;
  for (let match = SCHEME.exec(text); match; match = SCHEME.exec(text)) {
    const start = match.index;
    const end = addressEnd(text, start);
    const href = end > start + match[0].length ? hrefOf(text.slice(start, end)) : null;
    if (href) {
      if (start > plainFrom) parts.push({ text: text.slice(plainFrom, start) });
      parts.push({ text: text.slice(start, end), href });
      plainFrom = end;
    }
    // Go on after this address (or its scheme, if it was none): no character is scanned twice.
    SCHEME.lastIndex = Math.max(end, start + match[0].length);
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom) });
  return parts;
}
