// Agents and their inbox sessions: creating agents, signing in, and resolving a session cookie.
// Session tokens are stored hashed; a deactivated agent's sessions stop resolving at once.
import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { AgentRecord, AgentView } from '../../shared/protocol';
import { inTransaction, preparedOnce, schema, type Db } from '../db';
import { decoyHash, hashPassword, verifyPassword } from './passwords';

const { agents, agentSessions } = schema;
const SESSION_DAYS = 30;

export type Agent = AgentView;

function toView(row: typeof agents.$inferSelect): Agent {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function agentCount(db: Db): number {
  return db.select({ n: count() }).from(agents).get()?.n ?? 0;
}

export class AgentExistsError extends Error {}

export async function createAgent(
  db: Db,
  input: { email: string; name: string; password: string; role?: 'admin' | 'agent' },
): Promise<Agent> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const existing = db.select({ id: agents.id }).from(agents).where(eq(agents.email, email)).get();
  if (existing) throw new AgentExistsError(`An agent with email ${email} already exists`);
  const row = db
    .insert(agents)
    .values({ email, name: input.name.trim(), passwordHash, role: input.role ?? 'agent' })
    .returning()
    .get();
  return toView(row);
}

/** The agent with these credentials, or null. Takes the same time for unknown emails. */
export async function authenticate(db: Db, email: string, password: string): Promise<Agent | null> {
  const row = db.select().from(agents).where(eq(agents.email, email.trim().toLowerCase())).get();
  const ok = await verifyPassword(password, row?.passwordHash ?? (await decoyHash));
  return row && ok && row.active ? toView(row) : null;
}

export interface Session {
  token: string;
  csrfToken: string;
}

export function startSession(db: Db, agentId: number, now = Date.now()): Session {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  db.insert(agentSessions)
    .values({ tokenHash: sha256(token), agentId, csrfToken, expiresAt: now + SESSION_DAYS * 86_400_000 })
    .run();
  return { token, csrfToken };
}

// Runs on every API request and agent socket: built once per database, not per call.
const sessionQuery = preparedOnce((db: Db) =>
  db
    .select()
    .from(agentSessions)
    .innerJoin(agents, eq(agents.id, agentSessions.agentId))
    .where(
      and(
        eq(agentSessions.tokenHash, sql.placeholder('tokenHash')),
        gt(agentSessions.expiresAt, sql.placeholder('now')),
        eq(agents.active, true),
      ),
    )
    .prepare(),
);

/** The signed-in agent behind a session cookie, or null if it is unknown, expired or deactivated. */
export function resolveSession(db: Db, token: string, now = Date.now()): { agent: Agent; csrfToken: string } | null {
  const row = sessionQuery(db).get({ tokenHash: sha256(token), now });
  return row ? { agent: toView(row.agents), csrfToken: row.agent_sessions.csrfToken } : null;
}

export function endSession(db: Db, token: string): void {
  db.delete(agentSessions).where(eq(agentSessions.tokenHash, sha256(token))).run();
}

function toRecord(row: typeof agents.$inferSelect): AgentRecord {
  return { ...toView(row), active: row.active, createdAt: row.createdAt };
}

export function listAgents(db: Db): AgentRecord[] {
  return db.select().from(agents).orderBy(agents.name).all().map(toRecord);
}

export function agentRecord(db: Db, id: number): AgentRecord | null {
  const row = db.select().from(agents).where(eq(agents.id, id)).get();
  return row ? toRecord(row) : null;
}

/**
 * Activates or deactivates an agent. Deactivating deletes their sessions in the same transaction,
 * so their next request is already signed out; the caller also closes their live sockets.
 */
export function setAgentActive(db: Db, id: number, active: boolean): AgentRecord | null {
  return inTransaction(db, () => {
    const row = db.update(agents).set({ active }).where(eq(agents.id, id)).returning().get();
    if (row && !active) db.delete(agentSessions).where(eq(agentSessions.agentId, id)).run();
    return row ? toRecord(row) : null;
  });
}
