// The bench's other agents: a small process of its own (forked by the load generator) holding the
// agent sockets that only count what they receive, to show that fan-out kept up for every agent.
// Every message reaches every agent, so at 2,000 msg/s these sockets take in 38,000 frames a
// second. In the load generator itself that garbage brought a major collection every ~3 s whose
// 30–100 ms pauses stopped the sending, and the backlog then arrived at the server as one burst.
import { WebSocket } from 'ws';
import { answerCommands } from './processes';

export type CounterCommand =
  | { cmd: 'connect'; agentUrl: string; agentHeaders: Record<string, string>; agents: number }
  | { cmd: 'step'; step: number }
  /** The fewest messages of the current step any of these agents has received. */
  | { cmd: 'slowest' }
  | { cmd: 'close' };

function runCounters(): void {
  const sockets: WebSocket[] = [];
  let counts: number[] = [];
  /** Bench message bodies name their step (see benchMessageBody); only this step's count. */
  let stepMarker = Buffer.from('of step 0 sent at');

  const openAgent = (url: string, headers: Record<string, string>, index: number) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, { headers, perMessageDeflate: false });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
      socket.on('message', (data: Buffer) => {
        if (data.includes(stepMarker)) counts[index]!++;
      });
    });

  answerCommands(async (command: CounterCommand) => {
    switch (command.cmd) {
      case 'connect':
        for (let i = 0; i < command.agents; i++) {
          const socket = await openAgent(command.agentUrl, command.agentHeaders, i);
          socket.on('error', () => {});
          sockets.push(socket);
        }
        counts = sockets.map(() => 0);
        return { connected: sockets.length };
      case 'step':
        stepMarker = Buffer.from(`of step ${command.step} sent at`);
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
