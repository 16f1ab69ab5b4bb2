// The bench's other agents: a small process of its own (forked by the load generator) holding the
// agent sockets that only count what they receive, to show that fan-out kept up for every agent.
// Every message reaches every agent, so at 2,000 msg/s these sockets take in 38,000 frames a
// second. In the load generator itself that garbage brought a major collection every ~3 s whose
// 30–100 ms pauses stopped the sending, and the backlog then arrived at the server as one burst.
import type { WebSocket } from 'ws';
import { stepMarker } from './latencyProbe';
import { answerCommands } from './processes';
import { openSocket } from './wsClient';

export type CounterCommand =
  | { cmd: 'connect'; agentUrl: string; agentHeaders: Record<string, string>; agents: number }
  | { cmd: 'step'; step: number }
  /** The fewest messages of the current step any of these agents has received. */
  | { cmd: 'slowest' }
  | { cmd: 'close' };

function runCounters(): void {
  const sockets: WebSocket[] = [];
  let counts: number[] = [];
  /** Only this step's messages count. */
  let marker = stepMarker(0);

  answerCommands(async (command: CounterCommand) => {
    switch (command.cmd) {
      case 'connect':
        for (let i = 0; i < command.agents; i++) {
          const socket = await openSocket(command.agentUrl, command.agentHeaders);
          socket.on('error', () => {});
          socket.on('message', (data: Buffer) => {
            if (data.includes(marker)) counts[i]!++;
          });
          sockets.push(socket);
        }
        counts = sockets.map(() => 0);
        return { connected: sockets.length };
      case 'step':
        marker = stepMarker(command.step);
        counts.fill(0);
        return { ready: true };
      case 'slowest':
        return counts.length ? Math.min(...counts) : null;
      case 'close':
        for (const socket of sockets) socket.terminate();
        setTimeout(() => process.exit(0), 20);
        return { closed: true };
    }
  });
}

// Forked as a process: start serving the load generator.
if (process.send && process.argv[1]?.endsWith('agentCounters.ts')) runCounters();
