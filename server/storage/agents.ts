// What Parley keeps about inbox agents and their sign-in sessions, as the agents service uses it.
// Secrets arrive already hashed (passwords by the agents service, session tokens as SHA-256): storage
// never sees one in the clear. sqlite/agents.ts implements it.
import type { AgentPreferences, AgentRecord, AgentView } from '../../shared/protocol';

export interface NewAgent {
  /** Already trimmed and lower-cased: sign-in is case-insensitive. */
  email: string;
  name: string;
  passwordHash: string;
  role: 'admin' | 'agent';
}

export interface NewSession {
  /** SHA-256 of the cookie value: a leaked database does not leak live sessions. */
  tokenHash: string;
  agentId: number;
  csrfToken: string;
  expiresAt: number;
}

export interface AgentStore {
  /** Every agent, active or not. */
  count(): number;
  /** Adds an agent; null when one with this email already exists. */
  insert(agent: NewAgent): AgentView | null;
  /** Adds an admin unless any agent exists, the check and the insert in one transaction; null: one did. */
  insertFirstAdmin(agent: Omit<NewAgent, 'role'>): AgentView | null;
  /** The agent with this email, active or not, and the hash a sign-in checks against. */
  signInRecord(email: string): { agent: AgentView; passwordHash: string; active: boolean } | null;
  passwordHashOf(agentId: number): string | null;
  /**
   * The new password hash, and every session of the agent's but `keepSessionId` ended, in one
   * transaction; 'signedOut' (nothing changed) when `keepSessionId` is no longer theirs.
   */
  replacePassword(agentId: number, passwordHash: string, keepSessionId: string): 'changed' | 'signedOut';
  /** By name. */
  list(): AgentRecord[];
  record(id: number): AgentRecord | null;
  /**
   * Deactivating also deletes the agent's sessions, in the same transaction, so their next request
   * is already signed out (the caller closes their live sockets). null: no such agent.
   */
  setActive(id: number, active: boolean): AgentRecord | null;

  /** The agent's own choices; a stored field that is missing or malformed reads as its default. */
  preferences(agentId: number): AgentPreferences;
  /** Merges `patch` into the agent's stored choices (read and write in one transaction); null: no such agent. */
  updatePreferences(agentId: number, patch: Partial<AgentPreferences>): AgentPreferences | null;

  startSession(session: NewSession): void;
  /** The session with this token hash, if unexpired at `now` and its agent is active. */
  session(tokenHash: string, now: number): { agent: AgentView; csrfToken: string } | null;
  endSession(tokenHash: string): void;
}
