// The inbox's live feed: a signed-in agent's socket receives every new message, conversation change
// and presence change, and reports what the agent is looking at and whether they are typing.
// Agents change shared state through the HTTP API, never through this socket.
import type { WebSocket } from 'ws';
import { agentClientFrame, type AgentServerFrame } from '../../shared/protocol';
import type { Agent } from '../agents';
import type { TeamMember } from '../../shared/protocol';
import type { TeamNews } from '../agents/team';
import type { Hub } from '../realtime/hub';
import { parseFrame } from '../realtime/frames';
import type { RawSocket } from '../realtime/rawSocket';
import { Throttle } from '../realtime/throttle';
import type { Viewers } from './viewers';

/** Clients send typing at most every 2 s; a little slack absorbs network jitter. */
const typingThrottle = new Throttle<WebSocket>(1_500);

/** What a new inbox socket starts from, read before it opens: the agent's Status choice and the team. */
export interface AgentOpening {
  available: boolean;
  team: TeamMember[];
}

export async function agentOpening(team: TeamNews, agentId: number): Promise<AgentOpening> {
  const [available, members] = await Promise.all([team.choseAvailable(agentId), team.members()]);
  return { available, team: members };
}

/** `session` is the sign-in the socket was opened with: ending it closes this socket. */
export function acceptAgentSocket(
  rawSocket: RawSocket,
  session: { agent: Agent; sessionId: string },
  deps: { hub: Hub; viewers: Viewers },
  opening: AgentOpening,
): void {
  const { hub, viewers } = deps;
  const { agent } = session;
  const socket = rawSocket.ws;
  // An open inbox makes the agent count as online only if they chose Available (remembered across sign-ins).
  hub.setAvailability(agent.id, opening.available);
  hub.addAgent(rawSocket, agent.id, session.sessionId);
  // The team as it is now (the Status of everyone, names, pictures); 'team' frames keep it current.
  socket.send(JSON.stringify({ type: 'team', team: opening.team } satisfies AgentServerFrame));
  socket.on('message', (raw, isBinary) => {
    const result = parseFrame(agentClientFrame, raw, isBinary);
    if (!result.ok) return socket.send(JSON.stringify(result.error satisfies AgentServerFrame));
    const frame = result.frame;
    if (frame.type === 'viewing') viewers.view(socket, agent, frame.conversationId);
    else if (frame.type === 'typing' && typingThrottle.allow(socket)) viewers.typing(socket, agent, frame.conversationId);
  });
  socket.on('close', () => {
    hub.removeAgent(socket);
    viewers.leave(socket);
  });
}
