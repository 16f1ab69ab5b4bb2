// Measures how fast a running Parley (seeded by bench/seed.ts) serves a long conversation's history, to
// the inbox API and to the visitor socket, and the inbox conversation list (first, deep and open pages).
// bench/run.ts runs this file as a process of its own: measured from the bench's main process (a
// big tsx process that also seeded the database and drove Chromium) the same server showed a p99
// twice as high as from a small plain client, the client's own pauses counted as the server's.
// Each series starts with unmeasured warm-up loads, as a running server has served before.
//
// This client runs on the CPU of the server's event loop. It sends one request at a time, so while
// the server works the client waits, and the other way round: they take turns, not compete. From the
// other CPU each load also waits for two wake-ups across vCPUs (the server's on the request, the
// client's on the last byte), and on this VM those made the median and the tail worse. In five
// alternating rounds of these series against one server (2026-11-27), beside the server against
// from the other CPU: API p99 0.45–1.38 ms against 2.01–3.91 ms (p50 0.26–0.50 against 0.37–0.53);
// hello → welcome p99 1.23–3.71 against 3.32–16.84 ms; list first page p99 1.51–4.35 against
// 2.74–4.71 ms. The API series is repeated from the other CPU and printed beside it.
import { CSRF_HEADER, VISITOR_SOCKET_PATH } from '../shared/limits';
import type { ConversationDetail, ConversationPage, SessionView, VisitorServerFrame } from '../shared/protocol';
import { BENCH_ADMIN } from './seed';
import { KeepAliveClient } from './keepAliveClient';
import { answerCommands, MEASURING_CPU, pinThisProcess, watchContention, type CpuContention } from './processes';
import { summarize, type SampleSummary } from './stats';
import { timeWelcome } from './welcomeClient';

export interface HistoryAndListOptions {
  quick: boolean;
  serverUrl: string;
  port: number;
  bigConversationId: number;
  bigConversationToken: string;
  /** The server under test, whose event loop's waits for a CPU are read during each series. */
  serverPid: number;
}

export interface HistoryAndListResults {
  historyLoads: number;
  /** From this client on the server's CPU (see the top of this file). */
  agentHistory: SampleSummary & { messages: number; responseBytes: number; contention: CpuContention };
  /** The same loads from the other CPU: adds two cross-vCPU wake-ups per load. */
  agentHistoryFromOtherCpu: SampleSummary & { contention: CpuContention };
  visitorHistory: {
    method: string;
    messages: number;
    welcomeFrameBytes: number;
    /** From sending hello to the welcome frame, on a freshly opened socket. */
    helloToWelcome: SampleSummary;
    /** From opening the TCP connection (then the upgrade) to the welcome frame. */
    connectToWelcome: SampleSummary;
    contention: CpuContention;
  };
  listRequests: number;
  listFirstPage: SampleSummary & { pageSize: number };
  listStatusOpen: SampleSummary & { pageSize: number };
  listPagesWalked: SampleSummary & { walks: number; pagesPerWalk: number };
  /** The page reached after following nextCursor `pagesPerWalk` times, fetched repeatedly. */
  listDeepPage: SampleSummary & { pageNumber: number };
}

export type HistoryCommand = { cmd: 'measure'; options: HistoryAndListOptions } | { cmd: 'close' };

const log = (line: string) => console.log(`  ${line}`);
const PAGE_SIZE = 50;
const CURSOR_FOLLOWS = 20;

/** An agent signed in over one keep-alive connection, as the inbox page keeps its connection. */
class SignedInAgent {
  private constructor(private readonly client: KeepAliveClient) {}

  static async signIn(serverUrl: string): Promise<SignedInAgent> {
    const response = await fetch(`${serverUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: serverUrl },
      body: JSON.stringify({ email: BENCH_ADMIN.email, password: BENCH_ADMIN.password }),
    });
    if (response.status !== 200) throw new Error(`bench sign-in failed: ${response.status} ${await response.text()}`);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = (await response.json()) as SessionView;
    const headers = { cookie, origin: serverUrl, [CSRF_HEADER]: session.csrfToken ?? '' };
    return new SignedInAgent(await KeepAliveClient.connect(serverUrl, headers));
  }

  /**
   * GETs an API path and returns the elapsed time until the whole body has arrived, plus the body
   * when asked for. A body is only decoded when wanted: a 180 KB string per load is a large-object
   * allocation, and enough of them make this process stop for a full collection.
   */
  async timedGet(path: string, wantBody = true): Promise<{ elapsedMs: number; body: string }> {
    const { status, elapsedMs, body } = await this.client.get(path, wantBody);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${body.slice(0, 200)}`);
    return { elapsedMs, body };
  }

  close(): void {
    this.client.close();
  }
}

/** One visitor page load: open a fresh socket, say hello with the token, wait for welcome, close. */
async function timeVisitorWelcome(
  socketUrl: string,
  token: string,
  decode: boolean,
): Promise<{ connectToWelcomeMs: number; helloToWelcomeMs: number; historyLength: number; frameBytes: number }> {
  // The arrival is timed before anything is decoded: decoding 180 KB is the client's work, not the
  // server's, and a 180 KB string per load brought this process full collections (--trace-gc) that
  // landed on later samples. Only the first load is decoded whole; the others check the opening.
  const timing = await timeWelcome(socketUrl, { type: 'hello', token }, decode);
  if (!timing.opening.startsWith('{"type":"welcome"')) throw new Error(`visitor hello answered with ${timing.opening}`);
  if (!timing.opening.includes('"known":true')) throw new Error('the big conversation token is unknown to the server (seeded a different file?)');
  const decoded = timing.payload ? (JSON.parse(timing.payload) as Extract<VisitorServerFrame, { type: 'welcome' }>) : null;
  return {
    connectToWelcomeMs: timing.connectToWelcomeMs,
    helloToWelcomeMs: timing.helloToWelcomeMs,
    historyLength: decoded?.history.length ?? Number.NaN,
    frameBytes: timing.frameBytes,
  };
}

export async function measureHistoryAndList(options: HistoryAndListOptions): Promise<HistoryAndListResults> {
  const { quick, serverUrl, port, bigConversationId, bigConversationToken, serverPid } = options;
  const historyLoads = quick ? 50 : 200;
  const listRequests = quick ? 50 : 200;
  const warmUps = quick ? 20 : 50;
  const agent = await SignedInAgent.signIn(serverUrl);
  const socketUrl = `ws://127.0.0.1:${port}${VISITOR_SOCKET_PATH}`;
  log(`warm-up: ${warmUps} unmeasured loads of each kind`);
  for (let load = 0; load < warmUps; load++) {
    await agent.timedGet(`/api/conversations/${bigConversationId}`, false);
    await timeVisitorWelcome(socketUrl, bigConversationToken, false);
    await agent.timedGet(`/api/conversations?limit=${PAGE_SIZE}`, false);
  }

  // (a) The 1,000-message conversation, as the inbox loads it.
  log(`history: ${historyLoads} inbox API loads of conversation ${bigConversationId}`);
  const agentHistorySamples: number[] = [];
  let agentMessages = 0;
  let agentResponseBytes = 0;
  const agentContention = watchContention(serverPid);
  for (let load = 0; load < historyLoads; load++) {
    const { elapsedMs, body } = await agent.timedGet(`/api/conversations/${bigConversationId}`, load === 0);
    agentHistorySamples.push(elapsedMs);
    if (load === 0) {
      agentMessages = (JSON.parse(body) as ConversationDetail).messages.length;
      agentResponseBytes = Buffer.byteLength(body);
    }
  }
  const agentHistoryContention = agentContention();

  // ...and as the widget loads it: a returning visitor's page opens a socket and says hello.
  log(`history: ${historyLoads} visitor socket loads (fresh socket each)`);
  const helloToWelcomeSamples: number[] = [];
  const connectToWelcomeSamples: number[] = [];
  let visitorMessages = 0;
  let welcomeFrameBytes = 0;
  const visitorContention = watchContention(serverPid);
  for (let load = 0; load < historyLoads; load++) {
    const timing = await timeVisitorWelcome(socketUrl, bigConversationToken, load === 0);
    helloToWelcomeSamples.push(timing.helloToWelcomeMs);
    connectToWelcomeSamples.push(timing.connectToWelcomeMs);
    if (load === 0) {
      visitorMessages = timing.historyLength;
      welcomeFrameBytes = timing.frameBytes;
    }
  }
  const visitorHistoryContention = visitorContention();

  // (b) The inbox list: first page, open-only first page, and a walk 20 cursors deep.
  log(`list: ${listRequests} first pages, ${listRequests} open-only pages`);
  const firstPageSamples: number[] = [];
  for (let request = 0; request < listRequests; request++) {
    firstPageSamples.push((await agent.timedGet(`/api/conversations?limit=${PAGE_SIZE}`, false)).elapsedMs);
  }
  const statusOpenSamples: number[] = [];
  for (let request = 0; request < listRequests; request++) {
    statusOpenSamples.push((await agent.timedGet(`/api/conversations?limit=${PAGE_SIZE}&status=open`, false)).elapsedMs);
  }

  const walks = Math.max(1, Math.round(listRequests / CURSOR_FOLLOWS));
  log(`list: ${walks} walks following nextCursor ${CURSOR_FOLLOWS} times`);
  const walkSamples: number[] = [];
  let deepCursor: string | null = null;
  for (let walk = 0; walk < walks; walk++) {
    let cursor: string | null = null;
    for (let follow = 0; follow < CURSOR_FOLLOWS; follow++) {
      const path: string = `/api/conversations?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { elapsedMs, body } = await agent.timedGet(path);
      walkSamples.push(elapsedMs);
      cursor = (JSON.parse(body) as ConversationPage).nextCursor;
      if (!cursor) throw new Error(`the list ran out after ${follow + 1} pages; seed more conversations`);
    }
    deepCursor = cursor;
  }
  const deepPageSamples: number[] = [];
  if (deepCursor) {
    for (let request = 0; request < listRequests; request++) {
      deepPageSamples.push(
        (await agent.timedGet(`/api/conversations?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(deepCursor)}`, false)).elapsedMs,
      );
    }
  }

  // Last, as it moves this process (every thread) for good.
  log(`history: the same ${historyLoads} API loads from CPU ${MEASURING_CPU}, for comparison`);
  pinThisProcess(MEASURING_CPU);
  for (let load = 0; load < warmUps; load++) await agent.timedGet(`/api/conversations/${bigConversationId}`, false);
  const fromOtherCpuSamples: number[] = [];
  const fromOtherCpuContention = watchContention(serverPid);
  for (let load = 0; load < historyLoads; load++) {
    fromOtherCpuSamples.push((await agent.timedGet(`/api/conversations/${bigConversationId}`, false)).elapsedMs);
  }
  const agentHistoryFromOtherCpu = { ...summarize(fromOtherCpuSamples), contention: fromOtherCpuContention() };

  agent.close();

  return {
    historyLoads,
    agentHistory: {
      ...summarize(agentHistorySamples),
      messages: agentMessages,
      responseBytes: agentResponseBytes,
      contention: agentHistoryContention,
    },
    agentHistoryFromOtherCpu,
    visitorHistory: {
      method: 'fresh ws socket per load: connect, hello with token, wait for welcome, close',
      messages: visitorMessages,
      welcomeFrameBytes,
      helloToWelcome: summarize(helloToWelcomeSamples),
      connectToWelcome: summarize(connectToWelcomeSamples),
      contention: visitorHistoryContention,
    },
    listRequests,
    listFirstPage: { ...summarize(firstPageSamples), pageSize: PAGE_SIZE },
    listStatusOpen: { ...summarize(statusOpenSamples), pageSize: PAGE_SIZE },
    listPagesWalked: { ...summarize(walkSamples), walks, pagesPerWalk: CURSOR_FOLLOWS },
    listDeepPage: { ...summarize(deepPageSamples), pageNumber: CURSOR_FOLLOWS + 1 },
  };
}

// Forked by bench/run.ts (not imported for its types): measure when asked, then exit.
if (process.send && process.argv[1]?.endsWith('historyAndList.ts')) {
  answerCommands(async (command: HistoryCommand) => {
    if (command.cmd === 'measure') return measureHistoryAndList(command.options);
    setTimeout(() => process.exit(0), 20);
    return null;
  });
}
