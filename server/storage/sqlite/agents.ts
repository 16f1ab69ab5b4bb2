// The AgentStore (../agents.ts) in SQLite: `agents` and `agent_sessions`. A deactivated agent's
// sessions are deleted with the deactivation, and the session lookup checks `active` as well.
import type { Synchronous } from './asyncStores';
import { and, count, eq, gt, ne, sql } from 'drizzle-orm';
import {
  type AgentPreferences,
  type AgentRecord,
  type AgentView,
  type Availability,
} from '../../../shared/protocol';
import { inTransaction, preparedOnce, schema, type Db } from '../../db';
import { parseStoredPreferences, type AgentProfile, type AgentStore, type NewAgent, type NewSession, type StoredAvatar } from '../agents';

const { agents, agentSessions } = schema;

function toView(row: typeof agents.$inferSelect): AgentView {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

function toRecord(row: typeof agents.$inferSelect): AgentRecord {
  return { ...toView(row), active: row.active, createdAt: row.createdAt };
}

export function agentCount(db: Db): number {
  return db.select({ n: count() }).from(agents).get()?.n ?? 0;
}

/** Adds an agent; null when one with this email already exists. */
export function insertAgent(db: Db, agent: NewAgent): AgentView | null {
  const existing = db.select({ id: agents.id }).from(agents).where(eq(agents.email, agent.email)).get();
  if (existing) return null;
  return toView(db.insert(agents).values(agent).returning().get());
}

/**
 * The first admin, unless any agent exists: the check and the insert run in one synchronous
 * transaction, so of any number of concurrent setups exactly one wins. null: someone else was first.
 */
export function insertFirstAdmin(db: Db, agent: Omit<NewAgent, 'role'>): AgentView | null {
  return inTransaction(db, () => {
    if (agentCount(db) > 0) return null;
    const row = db
      .insert(agents)
      .values({ ...agent, role: 'admin' })
      .returning()
      .get();
    return toView(row);
  });
}

export function signInRecord(db: Db, email: string): { agent: AgentView; passwordHash: string; active: boolean } | null {
  const row = db.select().from(agents).where(eq(agents.email, email)).get();
  return row ? { agent: toView(row), passwordHash: row.passwordHash, active: row.active } : null;
}

export function passwordHashOf(db: Db, agentId: number): string | null {
  return db.select({ passwordHash: agents.passwordHash }).from(agents).where(eq(agents.id, agentId)).get()?.passwordHash ?? null;
}

/** The new hash, and every other session of the agent's ended, unless `keepSessionId` is no longer theirs. */
export function replacePassword(db: Db, agentId: number, passwordHash: string, keepSessionId: string): 'changed' | 'signedOut' {
  return inTransaction(db, () => {
    // Signed out while the hashes ran (sign-out, deactivation, another password change): change nothing.
    const kept = db.select({ agentId: agentSessions.agentId }).from(agentSessions).where(eq(agentSessions.tokenHash, keepSessionId)).get();
    if (kept?.agentId !== agentId) return 'signedOut';
    db.update(agents).set({ passwordHash }).where(eq(agents.id, agentId)).run();
    db.delete(agentSessions)
      .where(and(eq(agentSessions.agentId, agentId), ne(agentSessions.tokenHash, keepSessionId)))
      .run();
    return 'changed';
  });
}

export function listAgents(db: Db): AgentRecord[] {
  return db.select().from(agents).orderBy(agents.name).all().map(toRecord);
}

export function agentRecord(db: Db, id: number): AgentRecord | null {
  const row = db.select().from(agents).where(eq(agents.id, id)).get();
  return row ? toRecord(row) : null;
}

/** Whether `id` is the only active admin: the check that keeps one agent able to manage the rest. */
function isLastActiveAdmin(db: Db, id: number): boolean {
  const others = db
    .select({ n: count() })
    .from(agents)
    .where(and(eq(agents.role, 'admin'), eq(agents.active, true), ne(agents.id, id)))
    .get();
  const target = db.select({ role: agents.role, active: agents.active }).from(agents).where(eq(agents.id, id)).get();
  return target?.role === 'admin' && target.active && (others?.n ?? 0) === 0;
}

/**
 * Activates or deactivates an agent. Deactivating deletes their sessions in the same transaction,
 * so their next request is already signed out; the last active admin is never deactivated.
 */
export function setAgentActive(db: Db, id: number, active: boolean): AgentRecord | null | 'lastAdmin' {
  return inTransaction(db, () => {
    if (!active && isLastActiveAdmin(db, id)) return 'lastAdmin';
    const row = db.update(agents).set({ active }).where(eq(agents.id, id)).returning().get();
    if (row && !active) db.delete(agentSessions).where(eq(agentSessions.agentId, id)).run();
    return row ? toRecord(row) : null;
  });
}

function toProfile(row: typeof agents.$inferSelect): AgentProfile {
  const avatar = row.avatarSha256 && row.avatarType ? { sha256: row.avatarSha256, type: row.avatarType as StoredAvatar['type'] } : null;
  return { id: row.id, name: row.name, availability: row.availability, avatar };
}

export function agentProfiles(db: Db): AgentProfile[] {
  return db.select().from(agents).where(eq(agents.active, true)).orderBy(agents.name, agents.id).all().map(toProfile);
}

export function agentProfile(db: Db, id: number): AgentProfile | null {
  const row = db.select().from(agents).where(and(eq(agents.id, id), eq(agents.active, true))).get();
  return row ? toProfile(row) : null;
}

export function setAgentAvailability(db: Db, id: number, availability: Availability): void {
  db.update(agents).set({ availability }).where(eq(agents.id, id)).run();
}

export function setAgentName(db: Db, id: number, name: string): void {
  db.update(agents).set({ name }).where(eq(agents.id, id)).run();
}

export function setAgentAvatar(db: Db, id: number, avatar: StoredAvatar | null): void {
  db.update(agents)
    .set({ avatarSha256: avatar?.sha256 ?? null, avatarType: avatar?.type ?? null })
    .where(eq(agents.id, id))
    .run();
}

/** Renames an agent or changes their role, in one transaction with the last-admin check. */
export function updateAgent(db: Db, id: number, changes: { name?: string; role?: 'admin' | 'agent' }): AgentRecord | null | 'lastAdmin' {
  return inTransaction(db, () => {
    if (changes.role === 'agent' && isLastActiveAdmin(db, id)) return 'lastAdmin';
    const row = db.update(agents).set(changes).where(eq(agents.id, id)).returning().get();
    return row ? toRecord(row) : null;
  });
}

/** Sets the hash and deletes every session of the agent's, together: whoever held the old one is out. */
export function resetAgentPassword(db: Db, id: number, passwordHash: string): boolean {
  return inTransaction(db, () => {
    const changed = db.update(agents).set({ passwordHash }).where(eq(agents.id, id)).run().changes > 0;
    if (changed) db.delete(agentSessions).where(eq(agentSessions.agentId, id)).run();
    return changed;
  });
}

export function agentPreferences(db: Db, agentId: number): AgentPreferences {
  const row = db.select({ preferences: agents.preferences }).from(agents).where(eq(agents.id, agentId)).get();
  return parseStoredPreferences(row?.preferences ?? '{}');
}

export function updateAgentPreferences(db: Db, agentId: number, patch: Partial<AgentPreferences>): AgentPreferences | null {
  return inTransaction(db, () => {
    const row = db.select({ preferences: agents.preferences }).from(agents).where(eq(agents.id, agentId)).get();
    if (!row) return null;
    const merged: AgentPreferences = { ...parseStoredPreferences(row.preferences), ...patch };
    db.update(agents).set({ preferences: JSON.stringify(merged) }).where(eq(agents.id, agentId)).run();
    return merged;
  });
}

export function startSession(db: Db, session: NewSession): void {
  db.insert(agentSessions).values(session).run();
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

/** The session with this token hash, if unexpired at `now` and its agent still active. */
export function sessionByTokenHash(db: Db, tokenHash: string, now: number): { agent: AgentView; csrfToken: string } | null {
  const row = sessionQuery(db).get({ tokenHash, now });
  return row ? { agent: toView(row.agents), csrfToken: row.agent_sessions.csrfToken } : null;
}

export function endSession(db: Db, tokenHash: string): void {
  db.delete(agentSessions).where(eq(agentSessions.tokenHash, tokenHash)).run();
}

export function sqliteAgentStore(db: Db): Synchronous<AgentStore> {
  return {
    count: () => agentCount(db),
    insert: (agent) => insertAgent(db, agent),
    insertFirstAdmin: (agent) => insertFirstAdmin(db, agent),
    signInRecord: (email) => signInRecord(db, email),
    passwordHashOf: (agentId) => passwordHashOf(db, agentId),
    replacePassword: (agentId, passwordHash, keepSessionId) => replacePassword(db, agentId, passwordHash, keepSessionId),
    list: () => listAgents(db),
    record: (id) => agentRecord(db, id),
    setActive: (id, active) => setAgentActive(db, id, active),
    profiles: () => agentProfiles(db),
    profile: (id) => agentProfile(db, id),
    setAvailability: (id, availability) => setAgentAvailability(db, id, availability),
    setName: (id, name) => setAgentName(db, id, name),
    setAvatar: (id, avatar) => setAgentAvatar(db, id, avatar),
    update: (id, changes) => updateAgent(db, id, changes),
    resetPassword: (id, passwordHash) => resetAgentPassword(db, id, passwordHash),
    preferences: (agentId) => agentPreferences(db, agentId),
    updatePreferences: (agentId, patch) => updateAgentPreferences(db, agentId, patch),
    startSession: (session) => startSession(db, session),
    session: (tokenHash, now) => sessionByTokenHash(db, tokenHash, now),
    endSession: (tokenHash) => endSession(db, tokenHash),
  };
}
