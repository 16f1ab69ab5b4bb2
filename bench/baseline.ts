// The ceiling for the throughput bench: a bare `ws` server doing only what Parley must do per chat
// message (insert with a prepared better-sqlite3 statement in WAL mode, ack, forward to agents).
// No validation, no auth, no history, no presence. Never used outside `npm run bench`.
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { WebSocketServer, type WebSocket } from 'ws';

const dbPath = process.env.BASELINE_DB ?? ':memory:';
const db = new BetterSqlite3(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL'); // the same durability promise Parley makes: an ack means on disk
db.exec(`create table if not exists messages (
  id integer primary key autoincrement, client_id text not null, body text not null, created_at integer not null)`);
const insert = db.prepare('insert into messages (client_id, body, created_at) values (?, ?, ?)');

const agents = new Set<WebSocket>();
const wss = new WebSocketServer({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1', perMessageDeflate: false });

wss.on('connection', (socket, request) => {
  socket.on('error', () => {});
  if (request.url === '/ws/agent') {
    agents.add(socket);
    socket.on('close', () => agents.delete(socket));
    return;
  }
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { type: string; clientId: string; body: string };
    if (frame.type === 'hello') {
      socket.send(JSON.stringify({ type: 'welcome', known: true, forget: false, history: [], seenUpToSeq: 0 }));
    } else if (frame.type === 'send') {
      const createdAt = Date.now();
      const id = Number(insert.run(frame.clientId, frame.body, createdAt).lastInsertRowid);
      const message = { id, clientId: frame.clientId, author: 'visitor', body: frame.body, createdAt };
      socket.send(JSON.stringify({ type: 'ack', clientId: frame.clientId, message }));
      const forward = JSON.stringify({ type: 'message', message });
      for (const agent of agents) agent.send(forward);
    }
  });
});

wss.on('listening', () => console.log(`baseline listening on ${(wss.address() as AddressInfo).port}`));
