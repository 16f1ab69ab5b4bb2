// Who has which conversation open in the inbox, and who is typing a reply: the collision notice
// ("Grace is also viewing", "Grace is typing a reply…"). Fleeting state, in memory only: this
// process's seats, shared with the other processes of a cluster (fanOut.sharedView), each process
// showing its own agents the whole.
import type { WebSocket } from 'ws';
import type { Viewer } from '../../shared/protocol';
import type { FanOut, SharedView } from '../realtime/fanOut';

/** A typing agent who sends nothing for this long has stopped. */
const TYPING_EXPIRES_MS = 4_000;

interface Seat extends Viewer {
  conversationId: number;
  typingTimer?: ReturnType<typeof setTimeout>;
}

export class Viewers {
  private readonly seats = new Map<WebSocket, Seat>();
  private readonly shared: SharedView<Viewer>;

  constructor(
    private readonly fanOut: FanOut,
    /** Relays an agent's typing to the visitor; `null` when nobody is typing there any more. */
    private readonly relayTyping: (conversationId: number, agentName: string | null) => void,
  ) {
    this.shared = fanOut.sharedView<Viewer>('viewers', (conversationId) => this.show(conversationId));
  }

  /** This socket now has `conversationId` open (or nothing, with null). */
  view(socket: WebSocket, agent: { id: number; name: string }, conversationId: number | null): void {
    const before = this.seats.get(socket);
    if (before?.conversationId === conversationId) return;
    if (before) this.leave(socket);
    if (conversationId === null) return;
    this.seats.set(socket, { agentId: agent.id, name: agent.name, typing: false, conversationId });
    this.announce(conversationId);
  }

  typing(socket: WebSocket, agent: { id: number; name: string }, conversationId: number): void {
    this.view(socket, agent, conversationId);
    const seat = this.seats.get(socket);
    if (!seat) return;
    clearTimeout(seat.typingTimer);
    seat.typingTimer = setTimeout(() => this.stopTyping(socket), TYPING_EXPIRES_MS);
    seat.typingTimer.unref?.();
    this.relayTyping(conversationId, agent.name);
    if (!seat.typing) {
      seat.typing = true;
      this.announce(conversationId);
    }
  }

  leave(socket: WebSocket): void {
    const seat = this.seats.get(socket);
    if (!seat) return;
    clearTimeout(seat.typingTimer);
    this.seats.delete(socket);
    this.announce(seat.conversationId);
    if (seat.typing) this.relayIfNobodyTypes(seat.conversationId);
  }

  /** The agent sent their reply: whatever they were typing in that conversation is done. */
  replied(agentId: number, conversationId: number): void {
    for (const [socket, seat] of this.seats) {
      if (seat.agentId === agentId && seat.conversationId === conversationId) this.stopTyping(socket);
    }
  }

  private stopTyping(socket: WebSocket): void {
    const seat = this.seats.get(socket);
    if (!seat?.typing) return;
    clearTimeout(seat.typingTimer);
    seat.typing = false;
    this.announce(seat.conversationId);
    this.relayIfNobodyTypes(seat.conversationId);
  }

  /** After announce(): the shared view holds this process's seats as they are now. */
  private relayIfNobodyTypes(conversationId: number): void {
    if (!this.shared.get(conversationId).some((v) => v.typing)) this.relayTyping(conversationId, null);
  }

  /** This process's seats in a conversation changed: share them, and show everyone's to the agents here. */
  private announce(conversationId: number): void {
    const here: Viewer[] = [];
    for (const seat of this.seats.values()) {
      if (seat.conversationId === conversationId) here.push({ agentId: seat.agentId, name: seat.name, typing: seat.typing });
    }
    this.shared.set(conversationId, here);
    this.show(conversationId);
  }

  private show(conversationId: number): void {
    // One entry per agent, even with the conversation open in two tabs (or on two processes).
    const byAgent = new Map<number, Viewer>();
    for (const viewer of this.shared.get(conversationId)) {
      const known = byAgent.get(viewer.agentId);
      byAgent.set(viewer.agentId, { ...viewer, typing: viewer.typing || (known?.typing ?? false) });
    }
    this.fanOut.toAgentsHere({ type: 'viewers', conversationId, viewers: [...byAgent.values()] });
  }
}
