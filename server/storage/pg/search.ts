// The SearchStore (../search.ts) in PostgreSQL: the generated `messages.search_vector` ('simple'
// config: lower-cased words, no stemming) through its GIN index, and ILIKE over contacts. User input
// never reaches tsquery syntax: each word is cut to its letters and digits before it is joined with
// the operators, and the query text is a bound parameter.
import { sql } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/open';
import type { ContactMatch, MessageHit, SearchStore } from '../search';

/**
 * `['ship', 'norw']` → `ship & norw:*`: every word must appear, the last may be unfinished. A word with
 * several runs of letters and digits (`don't`) is a phrase (`don <-> t`), as FTS5 reads a quoted word;
 * a word with none is left out (and the word before an empty last one stays whole, as in FTS5). Null
 * when nothing is left: nothing to look for. Lexemes hold letters and digits only, so no tsquery
 * operator (`&|!()<>:*'\`) can come from the words.
 */
export function tsQuery(words: string[]): string | null {
  const phrases = words
    .map((word, i) => {
      const lexemes = word.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      if (i === words.length - 1 && lexemes.length > 0) lexemes[lexemes.length - 1] += ':*';
      return lexemes;
    })
    .filter((lexemes) => lexemes.length > 0)
    .map((lexemes) => (lexemes.length > 1 ? `(${lexemes.join(' <-> ')})` : lexemes[0]!));
  return phrases.length > 0 ? phrases.join(' & ') : null;
}

/** `50%_off` → `%50\%\_off%`: the user's text matched character for character, anywhere. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function pgSearchStore(db: PgDb): SearchStore {
  return {
    async contacts(text, limit) {
      const pattern = likePattern(text);
      // A typed address is no contact (it links nothing), but agents still find the visitor by it.
      const { rows } = await db.execute<{ conversationId: string | number; name: string | null; email: string | null }>(sql`
        select "conversationId", name, email from (
          select max(cv.id) as "conversationId", c.name, c.email, max(cv.last_message_at) as at
          from contacts c join visitors v on v.contact_id = c.id join conversations cv on cv.visitor_id = v.id
          where c.name ilike ${pattern} escape '\\' or c.email ilike ${pattern} escape '\\'
          group by c.id
          union all
          select max(cv.id), v.name, v.unverified_email, max(cv.last_message_at)
          from visitors v join conversations cv on cv.visitor_id = v.id
          where v.unverified_email ilike ${pattern} escape '\\' or (v.contact_id is null and v.name ilike ${pattern} escape '\\')
          group by v.id
        ) matches
        order by at desc, "conversationId" desc
        limit ${limit}`);
      return rows.map((row): ContactMatch => ({ conversationId: Number(row.conversationId), name: row.name, email: row.email }));
    },

    async messages(words, beforeId, limit) {
      const query = tsQuery(words);
      if (query === null) return [];
      const { rows } = await db.execute<{ conversationId: string | number; messageId: string | number; body: string }>(sql`
        select conversation_id as "conversationId", id as "messageId", body
        from messages
        where search_vector @@ to_tsquery('simple', ${query}) and id < ${beforeId}
        order by id desc
        limit ${limit}`);
      return rows.map((row): MessageHit => ({ conversationId: Number(row.conversationId), messageId: Number(row.messageId), body: row.body }));
    },

    // The vector is a generated column: a message is findable as soon as its insert commits.
    caughtUp: () => Promise.resolve(),
  };
}
