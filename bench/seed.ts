// Fills a Parley SQLite file with a large, realistic inbox for the bench: many small conversations, one
// very long one, visitors whose tokens the bench can use, and an admin it can sign in as.
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createAgent } from '../server/agents';
import { openDatabase } from '../server/db';
import { sqliteStorage } from '../server/storage/sqlite';
import { batchIndexer, createSearchIndexSchema, INDEX_BATCH_ROWS, SEARCH_SCHEMA, searchIndexPath } from '../server/storage/sqlite/searchIndex';

export const BENCH_ADMIN = { email: 'bench@example.com', password: 'bench-password-1', name: 'Bench Admin' };

/** Signs in as BENCH_ADMIN and returns the session cookie (`name=value`), for the agent sockets. */
export async function signInAsBenchAdmin(url: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: BENCH_ADMIN.email, password: BENCH_ADMIN.password }),
  });
  if (!res.ok) throw new Error(`bench sign-in failed: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

export interface SeedCounts {
  /** Small conversations (one visitor, 1–3 messages each), not counting the big one. */
  conversations: number;
  messagesInBigConversation: number;
  /** How many of the small conversations' visitors get a token the bench knows (returned in `tokens`). */
  visitorsWithTokens: number;
}

export interface SeedResult {
  tokens: string[];
  bigConversationId: number;
  bigConversationToken: string;
  seedMs: number;
}

/** Conversations' last activity is spread over this window before "now". */
const ACTIVITY_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;
const ROWS_PER_TRANSACTION = 20_000;
const PREVIEW_LENGTH = 140;

const VISITOR_LINES = [
  'Hi, is the Ethiopia Guji in stock?',
  'Do you ship to Norway?',
  'My order has not arrived yet.',
  'Can I change my grind size?',
  'Thanks!',
  'What roast level is the house espresso?',
];
const AGENT_LINES = [
  'Hello! Yes, it is.',
  'We ship to all of Europe.',
  'Let me look that up for you.',
  'Done, anything else?',
  'You are welcome!',
];

// Same as the server (server/storage/sqlite/conversations.ts): 256 random bits, base64url; only the SHA-256 hex is stored.
const newVisitorToken = () => randomBytes(32).toString('base64url');
const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** Deterministic pseudo-random numbers in [0, 1) so every seeded database has the same shape. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedDatabase(dbPath: string, counts: SeedCounts): Promise<SeedResult> {
  const startedAt = performance.now();
  const database = openDatabase(dbPath);
  const { sqlite, db } = database;
  try {
    await createAgent(sqliteStorage(db), { ...BENCH_ADMIN, role: 'admin' });
    sqlite.pragma('synchronous = OFF'); // seeding only: a crash here just means seeding again

    const insertAgent = sqlite.prepare(
      `INSERT INTO agents (email, name, password_hash, role) VALUES (?, ?, 'x', 'agent')`,
    );
    const insertVisitor = sqlite.prepare(
      `INSERT INTO visitors (token_hash, created_at, last_seen_at) VALUES (?, ?, ?)`,
    );
    const insertConversation = sqlite.prepare(
      `INSERT INTO conversations (visitor_id, status, last_message_at, last_message_preview, last_message_author, created_at, last_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertMessage = sqlite.prepare(
      `INSERT INTO messages (conversation_id, seq, author, agent_id, body, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );

    const random = seededRandom(20240601);
    const now = Date.now();
    const pick = (lines: string[]) => lines[Math.floor(random() * lines.length)] ?? lines[0] ?? '';
    const agentId = Number(insertAgent.run('bench-agent@example.com', 'Bench Agent').lastInsertRowid);
    const tokens: string[] = [];

    /** One visitor + one conversation whose messages end at `lastMessageAt`, one minute apart. */
    const insertSmallConversation = (index: number) => {
      let tokenHash: string;
      if (index < counts.visitorsWithTokens) {
        const token = newVisitorToken();
        tokens.push(token);
        tokenHash = sha256Hex(token);
      } else {
        tokenHash = sha256Hex(`bench-visitor-without-token-${index}`);
      }
      const lastMessageAt = now - Math.floor(random() * ACTIVITY_WINDOW_MS);
      const messageCount = 1 + Math.floor(random() * 3);
      const firstMessageAt = lastMessageAt - (messageCount - 1) * 60_000;
      const visitorId = Number(insertVisitor.run(tokenHash, firstMessageAt, lastMessageAt).lastInsertRowid);
      const bodies: { author: 'visitor' | 'agent'; body: string }[] = [];
      for (let m = 0; m < messageCount; m++) {
        const author = m % 2 === 0 ? 'visitor' : 'agent';
        bodies.push({ author, body: pick(author === 'visitor' ? VISITOR_LINES : AGENT_LINES) });
      }
      const last = bodies[bodies.length - 1] ?? { author: 'visitor', body: '' };
      // About a third of the inbox is marked complete, so `?status=open` filters something.
      const status = random() < 0.33 ? 'complete' : 'open';
      const conversationId = Number(
        insertConversation.run(
          visitorId,
          status,
          lastMessageAt,
          last.body.slice(0, PREVIEW_LENGTH),
          last.author,
          firstMessageAt,
          messageCount,
        ).lastInsertRowid,
      );
      bodies.forEach(({ author, body }, m) => {
        insertMessage.run(
          conversationId,
          m + 1,
          author,
          author === 'agent' ? agentId : null,
          body,
          author === 'visitor' ? `seed-${conversationId}-${m}` : null,
          firstMessageAt + m * 60_000,
        );
      });
    };

    const insertSmallConversations = sqlite.transaction((from: number, to: number) => {
      for (let index = from; index < to; index++) insertSmallConversation(index);
    });
    for (let from = 0; from < counts.conversations; from += ROWS_PER_TRANSACTION) {
      insertSmallConversations(from, Math.min(counts.conversations, from + ROWS_PER_TRANSACTION));
    }

    const bigConversationToken = newVisitorToken();
    const insertBigConversation = sqlite.transaction(() => {
      const messageCount = counts.messagesInBigConversation;
      const firstMessageAt = now - messageCount * 1000;
      const visitorId = Number(
        insertVisitor.run(sha256Hex(bigConversationToken), firstMessageAt, now).lastInsertRowid,
      );
      const conversationId = Number(
        insertConversation.run(visitorId, 'open', now, '', 'visitor', firstMessageAt, messageCount).lastInsertRowid,
      );
      let lastBody = '';
      let lastAuthor: 'visitor' | 'agent' = 'visitor';
      for (let m = 0; m < messageCount; m++) {
        lastAuthor = m % 2 === 0 ? 'visitor' : 'agent';
        lastBody = `${pick(lastAuthor === 'visitor' ? VISITOR_LINES : AGENT_LINES)} (#${m + 1})`;
        insertMessage.run(
          conversationId,
          m + 1,
          lastAuthor,
          lastAuthor === 'agent' ? agentId : null,
          lastBody,
          lastAuthor === 'visitor' ? `seed-big-${m}` : null,
          firstMessageAt + m * 1000,
        );
      }
      sqlite
        .prepare(`UPDATE conversations SET last_message_preview = ?, last_message_author = ? WHERE id = ?`)
        .run(lastBody.slice(0, PREVIEW_LENGTH), lastAuthor, conversationId);
      return conversationId;
    });
    const bigConversationId = insertBigConversation();

    // Index everything for search, as a long-running Parley's index worker would have done batch by batch.
    sqlite.prepare(`ATTACH DATABASE ? AS ${SEARCH_SCHEMA}`).run(searchIndexPath(dbPath));
    sqlite.pragma(`${SEARCH_SCHEMA}.journal_mode = WAL`);
    createSearchIndexSchema(sqlite, SEARCH_SCHEMA);
    const indexBatch = batchIndexer(sqlite, sqlite, SEARCH_SCHEMA, INDEX_BATCH_ROWS);
    while (indexBatch() > 0);
    sqlite.pragma(`${SEARCH_SCHEMA}.wal_checkpoint(TRUNCATE)`);
    sqlite.prepare(`DETACH DATABASE ${SEARCH_SCHEMA}`).run();

    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    // No ANALYZE: a real Parley file never gets one, so the query planner sees what production sees.
    return {
      tokens,
      bigConversationId,
      bigConversationToken,
      seedMs: Math.round((performance.now() - startedAt) * 100) / 100,
    };
  } finally {
    await database.close();
  }
}
