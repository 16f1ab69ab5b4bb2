// The inbox's live feed: a signed-in agent's socket receives every new message, conversation change
// and presence change. Agents act through the HTTP API, so frames from the inbox are only checked.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AgentServerFrame } from '../../shared/protocol';
import type { Hub } from '../realtime/hub';
import { parseFrame } from '../realtime/frames';

const agentClientFrame = z.object({ type: z.literal('ping') });

export function acceptAgentSocket(socket: WebSocket, transport: Duplex, hub: Hub): void {
  hub.addAgent(socket, transport);
  socket.on('message', (raw, isBinary) => {
    const result = parseFrame(agentClientFrame, raw, isBinary);
    if (!result.ok) socket.send(JSON.stringify(result.error satisfies AgentServerFrame));
  });
  socket.on('close', () => hub.removeAgent(socket));
}
