// The new part of a plain-text reply: what the sender wrote, without the history their client quoted
// (Outlook's "Original Message" and header blocks, attribution lines in seven languages, "> " and
// "XX> " prefixes) and without the signature after "-- ". One pass over the lines, with anchored
// patterns on single bounded lines: it must never backtrack over the whole text, and never lose the
// text itself, which stays whole in InboundEmail.text ("Show original").

/** Longest text read: a reply is at its top; what lies past this is history or past what a message shows. */
export const REPLY_TEXT_INPUT = 512 * 1024;
/** Longest line tested against the patterns below; a longer one is text. */
const MARKER_LINE = 400;

/** The separator Outlook and Outlook Express put above the message answered, in the languages it ships in. */
const ORIGINAL_MESSAGE = [
  'original message', 'ursprüngliche nachricht', "message d'origine", 'mensaje original', 'oorspronkelijk bericht',
  'mensagem original', 'messaggio originale', 'originalnachricht', 'original meddelelse', 'ursprungligt meddelande',
];

/** Header names of Outlook's quoted header block ("From: … Sent: … To: … Subject: …"), per language. */
const HEADER_FROM = new Set(['from', 'von', 'de', 'van', 'da', 'från', 'fra']);
/** Outlook's own name for the date line: From followed by it is a quoted header block on its own. */
const HEADER_SENT = new Set(['sent', 'gesendet', 'envoyé', 'enviado', 'enviada', 'verzonden', 'verstuurd', 'inviato', 'skickat', 'sendt']);
/** Other clients' date line: From, Date and To or Subject make a header block. */
const HEADER_DATE = new Set(['date', 'datum', 'fecha', 'data', 'le', 'am']);
const HEADER_TO = new Set(['to', 'an', 'à', 'a', 'para', 'aan', 'cc', 'subject', 'betreff', 'objet', 'asunto', 'onderwerp', 'assunto', 'oggetto', 'ämne', 'emne']);

/**
 * How attribution lines end: "… wrote:", "… schrieb:", "… a écrit :", "… escribió:", "… schreef:",
 * "… escreveu:", "… ha scritto:". German and Dutch often put the name last ("Am …, schrieb Max:"),
 * so those two are also found as a word in a line that starts like an attribution and ends in ':'.
 */
const ATTRIBUTION_END = /(?:wrote|writes|schrieb|schrieben sie|a écrit|escribió|escrevió|schreef|escreveu|ha scritto|scrisse)\s?:$/i;
const ATTRIBUTION_START = /^(?:on|am|le|el|op|em|il|quoting|zitat von)\s/i;
const ATTRIBUTION_VERB_INSIDE = /\s(?:schrieb|schreef|wrote|a écrit|escribió|escreveu|ha scritto)\s/i;

/** "> text", ">> text", and the initials prefixes of The Bat! and others ("CO> text", "    BM> text"). */
const QUOTED = /^ {0,4}(?:>|[A-Z][A-Za-z]{0,3}>)/;
/** Rarer prefixes ("| text", "--]text", ": text"), taken for quotes only in a block an attribution introduces. */
const QUOTED_AFTER_ATTRIBUTION = /^ {0,4}(?:\||--\]|:)/;

/** Sign-offs phones add, dropped like a signature (alone on their line). */
const DEVICE_SIGNATURE =
  /^(?:sent from my [\w .-]{1,40}|get outlook for [\w .-]{1,20}|envoyé de mon [\w .-]{1,30}|von meinem [\w .-]{1,30} gesendet|enviado desde mi [\w .-]{1,30}|verzonden (?:vanaf|met) mijn [\w .-]{1,30}|inviato da [\w .-]{1,30}|enviado do meu [\w .-]{1,30})$/i;

const markerLine = (line: string) => line.length <= MARKER_LINE;

const isOriginalMessage = (line: string) => {
  const t = line.trim();
  if (!markerLine(t) || !t.startsWith('--') || !t.endsWith('--')) return false;
  const words = t.replace(/^-+\s*|\s*-+$/g, '').toLowerCase();
  return ORIGINAL_MESSAGE.includes(words);
};

/** The header name a line starts with ("From:", "*Von:*", "À :", "Enviado el:"), lower-case, or null. */
function headerName(line: string): string | null {
  if (!markerLine(line)) return null;
  // Up to three words ("Enviado el:", "Enviada em:"); the first one names it.
  const match = /^\*?([^\s:*]{1,12})(?: [^\s:*]{1,12}){0,2} ?:/u.exec(line.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/** Whether lines[i] starts a quoted header block: From, then Sent, or a date and a recipient or subject, within a few lines. */
function startsHeaderBlock(lines: string[], i: number): boolean {
  if (!HEADER_FROM.has(headerName(lines[i]!) ?? '')) return false;
  let date = false;
  let to = false;
  for (let j = i + 1; j < Math.min(lines.length, i + 8) && lines[j]!.trim() !== ''; j++) {
    const name = headerName(lines[j]!);
    if (name === null) continue;
    if (HEADER_SENT.has(name)) return true;
    if (HEADER_DATE.has(name)) date = true;
    if (HEADER_TO.has(name)) to = true;
  }
  return date && to;
}

/** The first line after a separator or header block at lines[i], its header lines and blank lines. */
function afterHeaderBlock(lines: string[], i: number): number {
  let next = i + 1;
  while (next < lines.length && next < i + 12 && headerName(lines[next]!) !== null) next++;
  while (next < lines.length && lines[next]!.trim() === '') next++;
  return next;
}

function isAttribution(line: string): boolean {
  const t = line.trim();
  if (!markerLine(t) || !t.endsWith(':')) return false;
  return ATTRIBUTION_END.test(t) || (ATTRIBUTION_START.test(t) && ATTRIBUTION_VERB_INSIDE.test(t));
}

/** How many lines (1 or 2) the attribution at lines[i] takes, or 0: clients wrap long ones over two lines. */
function attributionAt(lines: string[], i: number): number {
  const line = lines[i]!;
  if (isAttribution(line)) return 1;
  const next = lines[i + 1];
  if (next !== undefined && ATTRIBUTION_START.test(line.trim()) && next.trim() !== '' && isAttribution(`${line.trim()} ${next.trim()}`)) return 2;
  return 0;
}

const isSignatureDelimiter = (line: string) => line === '-- ' || line.trimEnd() === '--';
const isSeparatorLine = (line: string) => /^\s*(?:_{5,}|-{5,})\s*$/.test(line) && markerLine(line);

/** The sender's own words in a plain-text reply; the whole text when no new part can be told apart. */
export function visibleReplyText(text: string): string {
  const head = text.length > REPLY_TEXT_INPUT ? text.slice(0, text.lastIndexOf('\n', REPLY_TEXT_INPUT) + 1 || REPLY_TEXT_INPUT) : text;
  const lines = head.split(/\r?\n/);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isSignatureDelimiter(line)) break;
    if (isOriginalMessage(line) || startsHeaderBlock(lines, i)) {
      // Above "> " lines, Outlook Express's separator and headers introduce them (the answers are
      // below or between); above anything else, all that follows is what was answered.
      const next = afterHeaderBlock(lines, i);
      if (next < lines.length && QUOTED.test(lines[next]!)) {
        i = next - 1;
        continue;
      }
      break;
    }
    if (QUOTED.test(line)) continue;
    const attribution = attributionAt(lines, i);
    if (attribution > 0) {
      let next = i + attribution;
      while (next < lines.length && lines[next]!.trim() === '') next++;
      // An attribution above quoted lines introduces them (answers may follow, between quotes). An
      // "On … wrote:" above anything else introduces history quoted without prefixes; a bare
      // "… wrote:" there may be the sender's own sentence, so it stays.
      if (next >= lines.length || QUOTED.test(lines[next]!)) {
        i = next - 1;
        continue;
      }
      if (QUOTED_AFTER_ATTRIBUTION.test(lines[next]!)) {
        while (next < lines.length && (QUOTED_AFTER_ATTRIBUTION.test(lines[next]!) || QUOTED.test(lines[next]!) || lines[next]!.trim() === '')) next++;
        i = next - 1;
        continue;
      }
      if (ATTRIBUTION_START.test(line.trim())) break;
    }
    if (DEVICE_SIGNATURE.test(line.trim())) continue;
    kept.push(line.trimEnd());
  }
  const visible = tidyBlankLines(kept);
  return visible || head.trim();
}

/** Trims separator and blank lines at both ends and keeps at most one blank line in a row. */
function tidyBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start]!.trim() === '' || isSeparatorLine(lines[start]!))) start++;
  while (end > start && (lines[end - 1]!.trim() === '' || isSeparatorLine(lines[end - 1]!))) end--;
  const out: string[] = [];
  for (let i = start; i < end; i++) {
    const line = lines[i]!;
    if (line.trim() === '' && out.at(-1)?.trim() === '') continue;
    out.push(line);
  }
  return out.join('\n');
}
