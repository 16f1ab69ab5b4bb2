// The SearchStore (../search.ts) in PostgreSQL: the generated `messages.search_vector` through its GIN
// index, and ILIKE over contacts. The vector holds the body's words as SQLite's FTS5 reads them
// (unicode61 remove_diacritics 2: runs of letters and digits, lower case, Latin accents dropped), made
// by parley_search_text (db/pg/migrations/0002_search_words.sql); foldWord below is its twin for the
// words of a query. User input never reaches tsquery syntax: each word is cut to its letters and
// digits before it is joined with the operators, and the query text is a bound parameter.
import { sql } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/open';
import type { ContactMatch, MessageHit, SearchStore } from '../search';

/** The diacritics FTS5's unicode61 drops (its sqlite3Fts5UnicodeIsdiacritic), as in parley_search_text. */
const DIACRITICS = '\\u0300-\\u0304\\u0306-\\u030c\\u030f\\u0311\\u031b\\u0323-\\u0328\\u032d\\u032e\\u0330\\u0331';
const LATIN_ACCENTS = new RegExp(`([A-Za-z])[${DIACRITICS}]+`, 'g');
const LOOSE_DIACRITICS = new RegExp(`[${DIACRITICS}]+`, 'g');

/**
 * `Café` → `cafe`, `ΟΔΟΣ` → `οδοσ`: a word folded as parley_search_text folds the body (step for step:
 * Latin letters lose their accents, other letters keep theirs, lower case, final sigma as sigma).
 */
export function foldWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(LATIN_ACCENTS, '$1')
    .normalize('NFC')
    .replace(LOOSE_DIACRITICS, '')
    .toLowerCase()
    .replace(/ς/g, 'σ');
}

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
      // Letters and digits as PostgreSQL's [:alnum:] has them: `x²` is the word x there, as `½` is none.
      const lexemes = foldWord(word).match(/[\p{L}\p{Nd}\p{Nl}]+/gu) ?? [];
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
