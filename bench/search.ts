// Measures the inbox search box against a running Parley seeded by bench/seed.ts: several kinds of
// query (a very common word, a two-word phrase, a prefix, a word that matches nothing), each
// timed as the inbox calls it, sequentially, over HTTP.
import { performance } from 'node:perf_hooks';
import { BENCH_ADMIN } from './seed';
import { summarize, type SampleSummary } from './stats';

export interface SearchOptions {
  quick: boolean;
  log: (line: string) => void;
  serverUrl: string;
}

export interface SearchResults {
  messagesIndexed: number;
  queries: { query: string; results: number; latencyMs: SampleSummary }[];
}

const QUERIES = ['ship', 'grind size', 'espr', 'zebra'];

export async function measureSearch(options: SearchOptions, messagesIndexed: number): Promise<SearchResults> {
  const { quick, log, serverUrl } = options;
  const signIn = await fetch(`${serverUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: serverUrl },
    body: JSON.stringify({ email: BENCH_ADMIN.email, password: BENCH_ADMIN.password }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const rounds = quick ? 20 : 100;
  const queries: SearchResults['queries'] = [];
  for (const query of QUERIES) {
    const samples: number[] = [];
    let results = 0;
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const res = await fetch(`${serverUrl}/api/search?q=${encodeURIComponent(query)}`, { headers: { cookie } });
      const body = (await res.json()) as { results: unknown[] };
      samples.push(performance.now() - started);
      results = body.results.length;
    }
    const latencyMs = summarize(samples);
    queries.push({ query, results, latencyMs });
    log(`search "${query}": ${results} results, p50 ${latencyMs.p50} p99 ${latencyMs.p99} ms over ${rounds}`);
  }
  return { messagesIndexed, queries };
}
