// The AgentStore (../agents.ts) in PostgreSQL: `agents` and `agent_sessions`, as sqlite/agents.ts, but
// with several Parley processes writing at once. What SQLite got from being the only writer is taken
// here from PostgreSQL's locks:
// - the first admin: an advisory transaction lock (LOCKS.firstAdmin) around the check and the insert;
// - a duplicate email: the unique constraint (ON CONFLICT DO NOTHING), never a check first;
// - the last active admin: every active admin's row locked (in id order) before the check;
// - a password change, reset or deactivation: the agent's row locked first, then their sessions.
// Names sort as SQLite sorts them (bytewise, `collate "C"`), whatever the database's collation.
import { and, asc, count, eq, gt, ne, sql } from 'drizzle-orm';
import type { AgentPreferences, AgentRecord, AgentView } from '../../../shared/protocol';
import { LOCKS, type PgDb } from '../../db/pg/open';
import { agents, agentSessions } from '../../db/pg/schema';
import type { AgentProfile, AgentStore, StoredAvatar } from '../agents';
import { parseStoredPreferences } from '../agents';

type AgentRow = typeof agents.$inferSelect;

function toView(row: AgentRow): AgentView {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

function toRecord(row: AgentRow): AgentRecord {
  return { ...toView(row), active: row.active, createdAt: row.createdAt };
}

function toProfile(row: AgentRow): AgentProfile {
  const avatar = row.avatarSha256 && row.avatarType ? { sha256: row.avatarSha256, type: row.avatarType as StoredAvatar['type'] } : null;
  return { id: row.id, name: row.name, availability: row.availability, avatar };
}

/** SQLite's BINARY order, then id for equal names. */
const byName = [asc(sql`${agents.name} collate "C"`), asc(agents.id)];

/**
 * Whether `id` is the only active admin, with every active admin's row (and `id`'s) locked until the
 * transaction ends: two admins deactivating or demoting each other at once are taken one after the
 * other, and the second sees the first's change. Locked in id order, so they cannot deadlock.
 */
async function isLastActiveAdmin(tx: PgDb, id: number): Promise<boolean> {
  const admins = await tx
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.role, 'admin'), eq(agents.active, true)))
    .orderBy(asc(agents.id))
    .for('update');
  const [target] = await tx.select({ role: agents.role, active: agents.active }).from(agents).where(eq(agents.id, id)).for('update');
  return target?.role === 'admin' && target.active && admins.every((admin) => admin.id === id);
}

export function pgAgentStore(db: PgDb): AgentStore {
  return {
    async count() {
      const [row] = await db.select({ n: count() }).from(agents);
      return row?.n ?? 0;
    },

    async insert(agent) {
      const [row] = await db.insert(agents).values(agent).onConflictDoNothing({ target: agents.email }).returning();
      return row ? toView(row) : null;
    },

    insertFirstAdmin: (agent) =>
      db.transaction(async (tx) => {
        // Every process's setup waits here for the one before it to commit, then counts what it left.
        await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.firstAdmin.toString()}::bigint)`);
        const [existing] = await tx.select({ id: agents.id }).from(agents).limit(1);
        if (existing) return null;
        const [row] = await tx
          .insert(agents)
          .values({ ...agent, role: 'admin' })
          .returning();
        return toView(row!);
      }),

    async signInRecord(email) {
      const [row] = await db.select().from(agents).where(eq(agents.email, email));
      return row ? { agent: toView(row), passwordHash: row.passwordHash, active: row.active } : null;
    },

    async passwordHashOf(agentId) {
      const [row] = await db.select({ passwordHash: agents.passwordHash }).from(agents).where(eq(agents.id, agentId));
      return row?.passwordHash ?? null;
    },

    replacePassword: (agentId, passwordHash, keepSessionId) =>
      db.transaction(async (tx) => {
        // The agent's row first (as reset and deactivation take it), then the session to keep: two
        // changes from two of their sessions run one after the other, and the second finds itself signed out.
        await tx.select({ id: agents.id }).from(agents).where(eq(agents.id, agentId)).for('update');
        const [kept] = await tx
          .select({ agentId: agentSessions.agentId })
          .from(agentSessions)
          .where(eq(agentSessions.tokenHash, keepSessionId))
          .for('update');
        if (kept?.agentId !== agentId) return 'signedOut';
        await tx.update(agents).set({ passwordHash }).where(eq(agents.id, agentId));
        await tx.delete(agentSessions).where(and(eq(agentSessions.agentId, agentId), ne(agentSessions.tokenHash, keepSessionId)));
        return 'changed';
      }),

    async list() {
      const rows = await db
        .select()
        .from(agents)
        .orderBy(...byName);
      return rows.map(toRecord);
    },

    async record(id) {
      const [row] = await db.select().from(agents).where(eq(agents.id, id));
      return row ? toRecord(row) : null;
    },

    setActive: (id, active) =>
      db.transaction(async (tx) => {
        if (!active && (await isLastActiveAdmin(tx, id))) return 'lastAdmin';
        const [row] = await tx.update(agents).set({ active }).where(eq(agents.id, id)).returning();
        if (row && !active) await tx.delete(agentSessions).where(eq(agentSessions.agentId, id));
        return row ? toRecord(row) : null;
      }),

    update: (id, changes) =>
      db.transaction(async (tx) => {
        if (changes.role === 'agent' && (await isLastActiveAdmin(tx, id))) return 'lastAdmin';
        const [row] = await tx.update(agents).set(changes).where(eq(agents.id, id)).returning();
        return row ? toRecord(row) : null;
      }),

    resetPassword: (id, passwordHash) =>
      db.transaction(async (tx) => {
        // The update locks the agent's row before their sessions go, as replacePassword does.
        const changed = await tx.update(agents).set({ passwordHash }).where(eq(agents.id, id)).returning({ id: agents.id });
        if (changed.length === 0) return false;
        await tx.delete(agentSessions).where(eq(agentSessions.agentId, id));
        return true;
      }),

    async profiles() {
      const rows = await db
        .select()
        .from(agents)
        .where(eq(agents.active, true))
        .orderBy(...byName);
      return rows.map(toProfile);
    },

    async profile(id) {
      const [row] = await db
        .select()
        .from(agents)
        .where(and(eq(agents.id, id), eq(agents.active, true)));
      return row ? toProfile(row) : null;
    },

    async setAvailability(id, availability) {
      await db.update(agents).set({ availability }).where(eq(agents.id, id));
    },

    async setName(id, name) {
      await db.update(agents).set({ name }).where(eq(agents.id, id));
    },

    async setAvatar(id, avatar) {
      await db
        .update(agents)
        .set({ avatarSha256: avatar?.sha256 ?? null, avatarType: avatar?.type ?? null })
        .where(eq(agents.id, id));
    },

    async preferences(agentId) {
      const [row] = await db.select({ preferences: agents.preferences }).from(agents).where(eq(agents.id, agentId));
      return parseStoredPreferences(row?.preferences ?? '{}');
    },

    updatePreferences: (agentId, patch) =>
      db.transaction(async (tx) => {
        // Locked from the read to the write: two tabs changing different choices at once both keep theirs.
        const [row] = await tx.select({ preferences: agents.preferences }).from(agents).where(eq(agents.id, agentId)).for('update');
        if (!row) return null;
        const merged: AgentPreferences = { ...parseStoredPreferences(row.preferences), ...patch };
        await tx
          .update(agents)
          .set({ preferences: JSON.stringify(merged) })
          .where(eq(agents.id, agentId));
        return merged;
      }),

    async startSession(session) {
      await db.insert(agentSessions).values(session);
    },

    async session(tokenHash, now) {
      const [row] = await db
        .select({ agent: agents, csrfToken: agentSessions.csrfToken })
        .from(agentSessions)
        .innerJoin(agents, eq(agents.id, agentSessions.agentId))
        .where(and(eq(agentSessions.tokenHash, tokenHash), gt(agentSessions.expiresAt, now), eq(agents.active, true)));
      return row ? { agent: toView(row.agent), csrfToken: row.csrfToken } : null;
    },

    async endSession(tokenHash) {
      await db.delete(agentSessions).where(eq(agentSessions.tokenHash, tokenHash));
    },
  };
}
