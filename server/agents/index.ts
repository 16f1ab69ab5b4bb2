// Agents and their inbox sessions: creating agents, signing in, and resolving a session cookie.
// Passwords are hashed here and session tokens stored hashed (Storage's agents keep only hashes); a
// deactivated agent's sessions stop resolving at once.
import { createHash, randomBytes } from 'node:crypto';
import type { AgentView } from '../../shared/protocol';
import type { Storage } from '../storage';
import { decoyHash, hashPassword, verifyPassword } from './passwords';

export { HashQueueFullError } from './hashQueue';

const SESSION_DAYS = 30;

export type Agent = AgentView;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export class AgentExistsError extends Error {}

export async function createAgent(
  storage: Storage,
  input: { email: string; name: string; password: string; role?: 'admin' | 'agent' },
): Promise<Agent> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const agent = await storage.agents.insert({ email, name: input.name.trim(), passwordHash, role: input.role ?? 'agent' });
  if (!agent) throw new AgentExistsError(`An agent with email ${email} already exists`);
  return agent;
}

/**
 * Creates the first admin, unless any agent exists by the time the password is hashed: storage
 * checks and inserts in one transaction (on PostgreSQL under an advisory lock, across processes), so of any number of concurrent setups exactly
 * one wins (before, each checked, awaited its hash, then inserted: five at once made five admins).
 * null: someone else was first.
 */
export async function createFirstAdmin(storage: Storage, input: { email: string; name: string; password: string }): Promise<Agent | null> {
  const passwordHash = await hashPassword(input.password);
  return await storage.agents.insertFirstAdmin({ email: input.email.trim().toLowerCase(), name: input.name.trim(), passwordHash });
}

/** The agent with these credentials, or null. Takes the same time for unknown emails. */
export async function authenticate(storage: Storage, email: string, password: string): Promise<Agent | null> {
  const found = await storage.agents.signInRecord(email.trim().toLowerCase());
  const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash));
  return found && ok && found.active ? found.agent : null;
}

export interface Session {
  token: string;
  csrfToken: string;
}

export async function startSession(storage: Storage, agentId: number, now = Date.now()): Promise<Session> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await storage.agents.startSession({ tokenHash: sha256(token), agentId, csrfToken, expiresAt: now + SESSION_DAYS * 86_400_000 });
  return { token, csrfToken };
}

export interface ResolvedSession {
  agent: Agent;
  csrfToken: string;
  /** Names this session (the stored hash of its token: useless as a cookie), so its sockets can be found. */
  sessionId: string;
}

/** The signed-in agent behind a session cookie, or null if it is unknown, expired or deactivated. */
export async function resolveSession(storage: Storage, token: string, now = Date.now()): Promise<ResolvedSession | null> {
  const sessionId = sha256(token);
  const session = await storage.agents.session(sessionId, now);
  return session ? { agent: session.agent, csrfToken: session.csrfToken, sessionId } : null;
}

export async function endSession(storage: Storage, token: string): Promise<void> {
  await storage.agents.endSession(sha256(token));
}

/**
 * An admin sets a new password for another agent (who forgot theirs, or whose password leaked): every
 * session of theirs ends with it. The caller closes their live inboxes. false: no such agent.
 */
export async function resetPassword(storage: Storage, agentId: number, newPassword: string): Promise<boolean> {
  return await storage.agents.resetPassword(agentId, await hashPassword(newPassword));
}

export type PasswordChange = 'changed' | 'wrongPassword' | 'signedOut';

/**
 * Replaces an agent's password after checking the current one, and ends every other session of
 * theirs (whoever learnt the old password is signed out) in the same transaction as the new hash;
 * `keepSessionId` stays signed in. The caller closes the ended sessions' sockets.
 */
export async function changePassword(
  storage: Storage,
  agentId: number,
  input: { currentPassword: string; newPassword: string; keepSessionId: string },
): Promise<PasswordChange> {
  const currentHash = await storage.agents.passwordHashOf(agentId);
  if (currentHash === null || !(await verifyPassword(input.currentPassword, currentHash))) return 'wrongPassword';
  const passwordHash = await hashPassword(input.newPassword);
  return await storage.agents.replacePassword(agentId, passwordHash, input.keepSessionId);
}
