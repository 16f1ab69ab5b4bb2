// Inbox search: messages that contain every word the agent typed, plus contacts (and web visitors
// who only typed an address) whose name or email contains the query. Newest matches first: an inbox
// cares about recent talk. Storage's search runs the queries; this picks and labels the results.
import type { ConversationSummary, SearchResult } from '../../shared/protocol';
import type { Storage } from '../storage';

/** The words of what the agent typed: letters and digits only, so no query syntax survives. */
export function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

const SNIPPET_CONTEXT = 50;

/** `Café` → `cafe`: a word as search compares it (the engines index words without case or accents). */
const foldForMatch = (word: string) => word.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/**
 * The message around its first word that a query word begins (`norw` → «Norway», `cafe` → «Café»), the
 * whole word between « and » (plain text), as the engines matched it: by word, not inside one.
 */
export function snippet(body: string, words: string[]): string {
  const wanted = words.map(foldForMatch).filter((word) => word.length > 0);
  let at = -1;
  let length = 0;
  for (const match of body.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const folded = foldForMatch(match[0]);
    if (wanted.some((word) => folded.startsWith(word))) {
      at = match.index;
      length = match[0].length;
      break;
    }
  }
  if (at < 0) return body.slice(0, SNIPPET_CONTEXT * 2) + (body.length > SNIPPET_CONTEXT * 2 ? '…' : '');
  const start = Math.max(0, at - SNIPPET_CONTEXT);
  const end = Math.min(body.length, at + length + SNIPPET_CONTEXT);
  return `${start > 0 ? '…' : ''}${body.slice(start, at)}«${body.slice(at, at + length)}»${body.slice(at + length, end)}${end < body.length ? '…' : ''}`;
}

const HITS_PER_PAGE = 200;
/** Bounds the work for a query that matches a few huge conversations: 10 pages, 2,000 hits. */
const MAX_PAGES = 10;

export async function search(
  storage: Storage,
  text: string,
  limit: number,
  summary: (conversationId: number) => Promise<ConversationSummary | null>,
): Promise<SearchResult[]> {
  const results: SearchResult[] = [];
  const seen = new Set<number>();
  const add = async (conversationId: number, messageId: number | null, snippet: string) => {
    if (seen.has(conversationId) || results.length >= limit) return;
    seen.add(conversationId);
    const conversation = await summary(conversationId);
    if (!conversation) return;
    results.push({ conversation, messageId, snippet });
  };

  const contacts = await storage.search.contacts(text, limit);
  for (const contact of contacts) {
    const label = contact.email ? (contact.name ? `${contact.name} <${contact.email}>` : contact.email) : (contact.name ?? '');
    await add(contact.conversationId, null, label);
  }

  const words = searchWords(text);
  if (words.length > 0) {
    // Newest hits first, a page at a time, until `limit` distinct conversations are found: a chatty
    // conversation matching a common word must not crowd out the rest.
    let before = Number.MAX_SAFE_INTEGER;
    for (let round = 0; round < MAX_PAGES && results.length < limit; round++) {
      const hits = await storage.search.messages(words, before, HITS_PER_PAGE);
      for (const hit of hits) {
        if (!seen.has(hit.conversationId)) await add(hit.conversationId, hit.messageId, snippet(hit.body, words));
      }
      if (hits.length < HITS_PER_PAGE) break;
      before = hits[hits.length - 1]?.messageId ?? 0;
    }
  }
  return results;
}
