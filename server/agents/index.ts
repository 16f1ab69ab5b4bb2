// Agents and their inbox sessions: creating agents, signing in, and resolving a session cookie.
// Session tokens are stored hashed; a deactivated agent's sessions stop resolving at once.
import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, gt, ne, sql } from 'drizzle-orm';
import type { AgentRecord, AgentView } from '../../shared/protocol';
import { inTransaction, preparedOnce, schema, type Db } from '../db';
import { decoyHash, hashPassword, verifyPassword } from './passwords';

export { HashQueueFullError } from './hashQueue';

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

/**
 * Creates the first admin, unless any agent exists by the time the password is hashed: the check
 * and the insert run in one synchronous transaction, so of any number of concurrent setups exactly
 * one wins (before, each checked, awaited its hash, then inserted: five at once made five admins).
 * null: someone else was first.
 */
export async function createFirstAdmin(db: Db, input: { email: string; name: string; password: string }): Promise<Agent | null> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, () => {
    if (agentCount(db) > 0) return null;
    const row = db
      .insert(agents)
      .values({ email: input.email.trim().toLowerCase(), name: input.name.trim(), passwordHash, role: 'admin' })
      .returning()
      .get();
    return toView(row);
  });
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

export interface ResolvedSession {
  agent: Agent;
  csrfToken: string;
  /** Names this session (the stored hash of its token: useless as a cookie), so its sockets can be found. */
  sessionId: string;
}

/** The signed-in agent behind a session cookie, or null if it is unknown, expired or deactivated. */
export function resolveSession(db: Db, token: string, now = Date.now()): ResolvedSession | null {
  const row = sessionQuery(db).get({ tokenHash: sha256(token), now });
  return row ? { agent: toView(row.agents), csrfToken: row.agent_sessions.csrfToken, sessionId: row.agent_sessions.tokenHash } : null;
}

export function endSession(db: Db, token: string): void {
  db.delete(agentSessions).where(eq(agentSessions.tokenHash, sha256(token))).run();
}

export type PasswordChange = 'changed' | 'wrongPassword' | 'signedOut';

/**
 * Replaces an agent's password after checking the current one, and ends every other session of
 * theirs (whoever learnt the old password is signed out) in the same transaction as the new hash;
 * `keepSessionId` stays signed in. The caller closes the ended sessions' sockets.
 */
export async function changePassword(
  db: Db,
  agentId: number,
  input: { currentPassword: string; newPassword: string; keepSessionId: string },
): Promise<PasswordChange> {
  const row = db.select({ passwordHash: agents.passwordHash }).from(agents).where(eq(agents.id, agentId)).get();
  if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) return 'wrongPassword';
  const passwordHash = await hashPassword(input.newPassword);
  return inTransaction(db, () => {
    // Signed out while the hashes ran (sign-out, deactivation, another password change): change nothing.
    const kept = db.select({ agentId: agentSessions.agentId }).from(agentSessions).where(eq(agentSessions.tokenHash, input.keepSessionId)).get();
    if (kept?.agentId !== agentId) return 'signedOut';
    db.update(agents).set({ passwordHash }).where(eq(agents.id, agentId)).run();
    db.delete(agentSessions)
      .where(and(eq(agentSessions.agentId, agentId), ne(agentSessions.tokenHash, input.keepSessionId)))
      .run();
    return 'changed';
  });
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
