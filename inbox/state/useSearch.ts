// The search box's data: a query, answered by /api/search a moment after the agent stops typing.
// Only the newest query's answer is shown; an empty box means no search (the list comes back).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SearchResult } from '../../shared/protocol';
import { api, describeError } from '../api/client';

/** Pause in typing before a query goes out. */
const SEARCH_DELAY_MS = 200;

/** `endedSession` is true (and has left the inbox) when a failure means the session is gone. */
export function useSearch(endedSession: (err: unknown) => boolean) {
  const [query, setQuery] = useState('');
  /** The last answer, kept while a newer query is on its way so the results do not flicker. */
  const [answer, setAnswer] = useState<{ q: string; results: SearchResult[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const q = query.trim();

  useEffect(() => {
    const request = ++latest.current;
    setError(null);
    if (!q) {
      setAnswer(null);
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const { results } = await api.search(q);
        if (request === latest.current) setAnswer({ q, results });
      } catch (err) {
        if (!endedSession(err) && request === latest.current) setError(describeError(err));
      }
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);

  return {
    query,
    setQuery,
    active: q !== '',
    results: answer?.results ?? null,
    searching: q !== '' && answer?.q !== q && !error,
    error,
  };
}
