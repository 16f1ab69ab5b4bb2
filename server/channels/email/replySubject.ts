// The subject of our emails in a conversation a person started by email: "Re: <their subject>", so
// their mail client keeps one thread. Never doubles a prefix a client already put there, and never
// lets a header line break through.
/** Reply prefixes mail clients write: English, German (AW), Nordic (SV, VS), Dutch (Antw), French (Réf), Italian (R, Rif). */
const REPLY_PREFIX = /^\s*(re|aw|sv|vs|antw|réf|ref|rif|r)\s*(\[\d+\])?\s*:/i;
const MAX_SUBJECT_CHARS = 250;

/** "Re: <subject>", or null when they gave no subject (then the site's own subject is used). */
export function replySubject(theirs: string | null): string | null {
  const subject = (theirs ?? '').replace(/[\r\n\t]+/g, ' ').trim();
  if (!subject) return null;
  return (REPLY_PREFIX.test(subject) ? subject : `Re: ${subject}`).slice(0, MAX_SUBJECT_CHARS);
}
