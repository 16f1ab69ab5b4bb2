// Visitor ack latency while a stranger's 10 MB email is taken in: a baseline with no mail, then the
// same while an HTML-only email of unclosed `<a` tags (the input that stalled every socket for
// 36 s before the mail reader moved to a worker) and a 10 MB plain-text one are POSTed to
// /webhooks/email/raw. On its own Parley process; `tsx bench/hostileEmail.ts [--quick]` runs it alone.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monotonicMs } from './latencyProbe';
import { pinMeasuringProcess, rssMegabytes } from './processes';
import { summarize, type SampleSummary } from './stats';
import { startScratchServer, timeVisitorAcks } from './visitorAcks';
import { openSocket } from './wsClient';

export interface HostileEmailOptions {
  quick: boolean;
  log: (line: string) => void;
  /** The server entry point: the built one in a full run; `server/main.ts` (through tsx) alone. */
  entry: string;
}

export interface IngestRun {
  /** Send → ack: an ack waits for its fsync, which also flushes the email's megabytes in the shared WAL. */
  ackMs: SampleSummary;
  /**
   * WebSocket ping → pong round trips, answered by the server's event loop with no disk in between:
   * the goal's own measure, "the event loop never stalls more than 50 ms because of one email".
   */
  loopMs: SampleSummary;
  /** POST → answer, as the mail provider saw it. */
  ingestMs: number;
  status: number;
  /** Server RSS after the email minus before it. */
  rssGrowthMb: number;
}

export interface HostileEmailResults {
  rounds: number;
  baselineAckMs: SampleSummary[];
  hostileHtml: IngestRun[];
  plainText: IngestRun[];
}

const INBOUND_SECRET = 'bench-inbound-secret-0123456789';
const EMAIL_BYTES = 10 * 1024 * 1024 - 1024; // just under the cap
/** A visitor writes this often (after each ack): steady chat, fine-grained enough to see a 50 ms stall. */
const SEND_GAP_MS = 5;

/** A ping every few milliseconds: a stall of 50 ms cannot fall between two. */
const PING_GAP_MS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const headers = (subject: string, contentType: string) =>
  `From: Mallory <mallory@example.net>\r\nTo: support@example.test\r\nSubject: ${subject}\r\n` +
  `Message-ID: <${randomBytes(8).toString('hex')}@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n\r\n`;

function hostileHtmlEmail(): string {
  const head = headers('Unclosed tags', 'text/html; charset=utf-8');
  return head + '<a'.repeat(Math.floor((EMAIL_BYTES - head.length) / 2));
}

function plainTextEmail(): string {
  const head = headers('A very long letter', 'text/plain; charset=utf-8');
  const line = 'All work and no play makes Jack a dull boy, and the quoted history below goes on and on.\r\n';
  return head + line.repeat(Math.floor((EMAIL_BYTES - head.length) / line.length));
}

/** Pings the server every PING_GAP_MS over a greeted visitor socket until `until` settles, timing each pong. */
async function pongLatencies(url: string, until: Promise<unknown>): Promise<number[]> {
  const socket = await openSocket(url, { origin: 'http://127.0.0.1:9' });
  // Greeted, so the server's hello deadline does not close it mid-series.
  socket.send(JSON.stringify({ type: 'hello' }));
  let done = false;
  void until.finally(() => (done = true));
  const samples: number[] = [];
  while (!done) {
    const sentAt = monotonicMs();
    await new Promise<void>((resolve) => {
      socket.once('pong', () => resolve());
      socket.ping();
    });
    samples.push(monotonicMs() - sentAt);
    await sleep(PING_GAP_MS);
  }
  socket.terminate();
  return samples;
}

/**
 * POSTs the email file with curl, a process of its own: uploading 10 MB from this process held its
 * event loop (encoding, writing chunks) and its pings and acks looked late. Resolves with the status.
 */
function postWithCurl(serverUrl: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'content-type: message/rfc822', '-H', `x-parley-inbound-secret: ${INBOUND_SECRET}`];
    const curl = spawn('curl', [...args, '--data-binary', `@${file}`, `${serverUrl}/webhooks/email/raw`]);
    let output = '';
    curl.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    curl.once('error', reject);
    curl.once('exit', () => resolve(Number(output)));
  });
}

async function ingest(serverUrl: string, visitorUrl: string, pid: number, tag: string, email: string, dir: string): Promise<IngestRun> {
  const file = join(dir, `${tag}.eml`);
  writeFileSync(file, email);
  const rssBefore = rssMegabytes(pid);
  let status = 0;
  let ingestMs = 0;
  // The visitor is chatting before the email starts arriving, and until it is answered.
  let startPost!: () => void;
  const posted = new Promise<void>((resolve) => (startPost = resolve)).then(async () => {
    const started = monotonicMs();
    status = await postWithCurl(serverUrl, file);
    ingestMs = Math.round(monotonicMs() - started);
  });
  const samples = timeVisitorAcks(visitorUrl, tag, posted, SEND_GAP_MS);
  const pongs = pongLatencies(visitorUrl, posted);
  await sleep(200);
  startPost();
  const ackMs = summarize(await samples);
  const loopMs = summarize(await pongs);
  return { ackMs, loopMs, ingestMs, status, rssGrowthMb: rssMegabytes(pid) - rssBefore };
}

export async function measureHostileEmail({ quick, log, entry }: HostileEmailOptions): Promise<HostileEmailResults> {
  const rounds = quick ? 1 : 3;
  const { serverUrl, visitorUrl, pid, dir, stop } = await startScratchServer(entry, 'mail', { PARLEY_INBOUND_SECRET: INBOUND_SECRET });
  const results: HostileEmailResults = { rounds, baselineAckMs: [], hostileHtml: [], plainText: [] };
  try {
    // Warm-up, not measured: one 10 MB email grows the fresh database's WAL file to the size a running
    // server's already has (22-109 MB under steady chat, see README); on ext4 a write that extends a
    // file waits on the journal, so without this the first round measured the file growing.
    await ingest(serverUrl, visitorUrl, pid, 'warmup', plainTextEmail(), dir);
    const describe = (s: SampleSummary) => `p50 ${s.p50} p99 ${s.p99} max ${s.max} ms (${s.n} acks)`;
    for (let round = 1; round <= rounds; round++) {
      const baseline = summarize(await timeVisitorAcks(visitorUrl, `baseline-${round}`, sleep(quick ? 2_000 : 4_000), SEND_GAP_MS));
      results.baselineAckMs.push(baseline);
      log(`round ${round}: visitor ack, no email: ${describe(baseline)}`);
      for (const [kind, make] of [
        ['hostileHtml', hostileHtmlEmail],
        ['plainText', plainTextEmail],
      ] as const) {
        const run = await ingest(serverUrl, visitorUrl, pid, `${kind}-${round}`, make(), dir);
        results[kind].push(run);
        log(
          `round ${round}: visitor ack while a 10 MB ${kind === 'hostileHtml' ? 'HTML email of unclosed <a tags' : 'plain-text email'} ` +
            `is taken in (HTTP ${run.status} after ${run.ingestMs} ms, server RSS ${run.rssGrowthMb >= 0 ? '+' : ''}${run.rssGrowthMb} MB): ${describe(run.ackMs)}; event loop (ping → pong) p99 ${run.loopMs.p99} max ${run.loopMs.max} ms`,
        );
      }
    }
    return results;
  } finally {
    await stop();
  }
}

// Run alone: `tsx bench/hostileEmail.ts [--quick]` against the TypeScript server.
if (process.argv[1]?.endsWith('hostileEmail.ts')) {
  pinMeasuringProcess();
  const log = (line: string) => console.log(`  ${line}`);
  measureHostileEmail({ quick: process.argv.includes('--quick'), log, entry: 'server/main.ts' }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
