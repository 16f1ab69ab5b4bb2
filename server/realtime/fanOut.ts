// The fan-out seam: how the services tell connected agents and visitors what changed. Today's one
// implementation is the in-process Hub (hub.ts); one that spans processes implements the same calls.
import type { WebSocket } from 'ws';
import type { AgentServerFrame, VisitorServerFrame } from '../../shared/protocol';

/**
 * One process's part of a state that every process shows merged: who has which conversation open.
 * In one process it is simply that process's state.
 */
export interface SharedView<T> {
  /** This process's part under `key`, replacing the last one ([] removes it). */
  set(key: number, items: T[]): void;
  /** Every process's parts under `key`, this process's first. */
  get(key: number): T[];
}

export interface FanOut {
  /** To every signed-in agent's inbox. */
  toAgents(frame: AgentServerFrame): void;
  /**
   * To the inboxes this process holds only. For frames that describe what this process sees (a
   * visitor's presence): in a cluster each process tells its own agents its own view, so a view one
   * process has not caught up with yet is never broadcast over another's.
   */
  toAgentsHere(frame: AgentServerFrame): void;
  /** To every widget that said hello, whether or not its visitor has written yet (e.g. new settings). */
  toAllVisitors(frame: VisitorServerFrame): void;
  /** To the widgets this process holds only: for frames each process renders from its own view. */
  toAllVisitorsHere(frame: VisitorServerFrame): void;
  /** To every open tab of one visitor, except the socket the event came from. */
  toVisitor(visitorId: number, frame: VisitorServerFrame, except?: WebSocket): void;
  /** Runs `send` and delivers the agent frames it fans out together (a group commit's batch). */
  inOneWrite(send: () => void): void;
  /**
   * Resolves once everything fanned out so far has left this process for good (in a cluster: the bus
   * has it), so a process killed afterwards loses none of it. An ack or an answer that says "every
   * agent was told" waits for this.
   */
  sent(): Promise<void>;
  /** Whether the visitor has a widget open anywhere: their green dot, and chat as the reply channel. */
  isOnline(visitorId: number): boolean;
  /** Called when a visitor comes online or goes offline, as isOnline() sees it. */
  onVisitorPresence(listener: (visitorId: number, online: boolean) => void): void;
  /**
   * Whether any agent is available (Status "Available" and an inbox open, or just reloading it):
   * the widget asks for an email when none is.
   */
  agentsOnline(): boolean;
  /** The agents who count as online, as agentsOnline() counts them, by id. */
  availableAgentIds(): number[];
  /** An agent chose Available or Away (an Away agent's inboxes make no one "online"). */
  setAvailability(agentId: number, available: boolean): void;
  /** Called whenever availableAgentIds() changes: the team and the widgets' faces are news. */
  onAvailableAgentsChanged(listener: () => void): void;
  /** Closes every inbox of a deactivated or re-passworded agent, but those of `exceptSessionId`. */
  signOutAgent(agentId: number, exceptSessionId?: string): void;
  /** Closes the inboxes one sign-in session opened (it signed out). */
  signOutSession(sessionId: string): void;
  /** A conversation's stored thread changed: every cached copy of it must go. */
  threadChanged(conversationId: number): void;
  /** Called for every threadChanged, wherever it was announced. */
  onThreadChanged(listener: (conversationId: number) => void): void;
  /**
   * A state each process holds a part of, under `topic`; `onRemoteChange(key)` runs when another
   * process's part under `key` changed (or left with that process), so this one can show the whole.
   */
  sharedView<T>(topic: string, onRemoteChange: (key: number) => void): SharedView<T>;
  /** Something every process must read again changed (the team): each runs its `topic` listeners, this one too. */
  signal(topic: string): void;
  onSignal(topic: string, listener: () => void): void;
}
