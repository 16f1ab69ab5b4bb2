// What Parley keeps about inbox agents and their sign-in sessions, as the agents service uses it.
// Secrets arrive already hashed (passwords by the agents service, session tokens as SHA-256): storage
// never sees one in the clear. sqlite/agents.ts and pg/agents.ts implement it.
import { agentPreferenceFields, DEFAULT_AGENT_PREFERENCES, type AgentPreferences, type AgentRecord, type AgentView, type Availability } from '../../shared/protocol';

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

/** An uploaded avatar: its bytes are in the file store under `sha256`; `type` is what its magic bytes said. */
export interface StoredAvatar {
  sha256: string;
  type: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
}

/** What the rest of the team (and visitors, in part) see of an active agent. */
export interface AgentProfile {
  id: number;
  name: string;
  /** Their Status choice; whether they count as online also needs an open inbox (the hub knows). */
  availability: Availability;
  avatar: StoredAvatar | null;
}

export interface AgentStore {
  /** Every agent, active or not. */
  count(): Promise<number>;
  /** Adds an agent; null when one with this email already exists. */
  insert(agent: NewAgent): Promise<AgentView | null>;
  /** Adds an admin unless any agent exists, the check and the insert in one transaction; null: one did. */
  insertFirstAdmin(agent: Omit<NewAgent, 'role'>): Promise<AgentView | null>;
  /** The agent with this email, active or not, and the hash a sign-in checks against. */
  signInRecord(email: string): Promise<{ agent: AgentView; passwordHash: string; active: boolean } | null>;
  passwordHashOf(agentId: number): Promise<string | null>;
  /**
   * The new password hash, and every session of the agent's but `keepSessionId` ended, in one
   * transaction; 'signedOut' (nothing changed) when `keepSessionId` is no longer theirs.
   */
  replacePassword(agentId: number, passwordHash: string, keepSessionId: string): Promise<'changed' | 'signedOut'>;
  /** By name. */
  list(): Promise<AgentRecord[]>;
  record(id: number): Promise<AgentRecord | null>;
  /**
   * Deactivating also deletes the agent's sessions, in the same transaction, so their next request
   * is already signed out (the caller closes their live sockets). null: no such agent; 'lastAdmin':
   * they are the last active admin, and nothing changed (nobody could manage the inbox any more).
   */
  setActive(id: number, active: boolean): Promise<AgentRecord | null | 'lastAdmin'>;
  /** Renames an agent or changes their role; 'lastAdmin' (nothing changed) for demoting the last active admin. */
  update(id: number, changes: { name?: string; role?: 'admin' | 'agent' }): Promise<AgentRecord | null | 'lastAdmin'>;
  /** An admin's reset: the new hash, and every session of the agent's ended, in one transaction. false: no such agent. */
  resetPassword(id: number, passwordHash: string): Promise<boolean>;

  /** Every active agent's profile, by name. */
  profiles(): Promise<AgentProfile[]>;
  /** An active agent's profile; null for no such (or a deactivated) agent. */
  profile(id: number): Promise<AgentProfile | null>;
  setAvailability(id: number, availability: Availability): Promise<void>;
  setName(id: number, name: string): Promise<void>;
  /** null removes the picture (the bytes stay in the file store, which may share them). */
  setAvatar(id: number, avatar: StoredAvatar | null): Promise<void>;

  /** The agent's own choices; a stored field that is missing or malformed reads as its default. */
  preferences(agentId: number): Promise<AgentPreferences>;
  /** Merges `patch` into the agent's stored choices (read and write in one transaction); null: no such agent. */
  updatePreferences(agentId: number, patch: Partial<AgentPreferences>): Promise<AgentPreferences | null>;

  startSession(session: NewSession): Promise<void>;
  /** The session with this token hash, if unexpired at `now` and its agent is active. */
  session(tokenHash: string, now: number): Promise<{ agent: AgentView; csrfToken: string } | null>;
  endSession(tokenHash: string): Promise<void>;
}

/**
 * The stored JSON, field by field: a value written by an older version, or by hand, that no longer
 * parses costs only that field (its default), never the agent's other choices or the request.
 */
export function parseStoredPreferences(json: string): AgentPreferences {
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    stored = null;
  }
  const fields = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const field = <K extends keyof AgentPreferences>(key: K): AgentPreferences[K] => {
    const parsed = agentPreferenceFields[key].safeParse(fields[key]);
    return parsed.success ? (parsed.data as AgentPreferences[K]) : DEFAULT_AGENT_PREFERENCES[key];
  };
  return {
    desktopNotifications: field('desktopNotifications'),
    sound: field('sound'),
    notifyAbout: field('notifyAbout'),
    keyboardShortcuts: field('keyboardShortcuts'),
  };
}
