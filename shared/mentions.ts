// Which agents a note's `@name`s name: an active agent's full name or first name, case-insensitive,
// the longest match at each `@` winning ("@Ada Lovelace" is Ada Lovelace, not every Ada). Plain text
// scanning, no regular expression built from names an admin typed.

interface Named {
  id: number;
  name: string;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** The names someone may be called by: their full name and, when it has more words, the first one. */
function callNames(agent: Named): string[] {
  const full = agent.name.trim().replace(/\s+/g, ' ');
  const first = full.split(' ')[0] ?? '';
  return first && first !== full ? [full, first] : full ? [full] : [];
}

/** Where a mention sits in the body: `@` at `start`, the name ending before `end`; `ids` are who it names. */
export interface MentionSpan {
  start: number;
  end: number;
  ids: number[];
}

/** Every `@name` in the body that names someone in `team`, in order (the inbox highlights them). */
export function findMentions(body: string, team: Named[]): MentionSpan[] {
  const candidates = team.flatMap((agent) => callNames(agent).map((name) => ({ id: agent.id, name: name.toLowerCase(), length: name.length })));
  const spans: MentionSpan[] = [];
  for (let at = body.indexOf('@'); at !== -1; at = body.indexOf('@', at + 1)) {
    // "ada@example.com" is an address, not a mention.
    if (at > 0 && WORD_CHAR.test(body.charAt(at - 1))) continue;
    let best: { ids: number[]; length: number } = { ids: [], length: 0 };
    for (const candidate of candidates) {
      if (candidate.length < best.length) continue;
      const text = body.slice(at + 1, at + 1 + candidate.length);
      if (text.toLowerCase() !== candidate.name) continue;
      if (WORD_CHAR.test(body.charAt(at + 1 + candidate.length))) continue; // "@Adam" is not "@Ada"
      // Two agents answering to the same name are both told: better twice read than missed.
      best = candidate.length > best.length ? { ids: [candidate.id], length: candidate.length } : { ids: [...best.ids, candidate.id], length: best.length };
    }
    if (best.ids.length > 0) spans.push({ start: at, end: at + 1 + best.length, ids: best.ids });
  }
  return spans;
}

/** Agent ids the body mentions, each once, in order of first mention. */
export function mentionedAgents(body: string, team: Named[]): number[] {
  const found: number[] = [];
  for (const span of findMentions(body, team)) for (const id of span.ids) if (!found.includes(id)) found.push(id);
  return found;
}
