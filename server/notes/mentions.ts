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

/** Agent ids the body mentions, each once, in order of first mention. */
export function mentionedAgents(body: string, team: Named[]): number[] {
  const candidates = team.flatMap((agent) => callNames(agent).map((name) => ({ id: agent.id, name: name.toLowerCase(), length: name.length })));
  const found: number[] = [];
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
    for (const id of best.ids) if (!found.includes(id)) found.push(id);
  }
  return found;
}
