// Visitor ack latency while wrong sign-ins pour in: a baseline with no sign-ins, then the same with
// 32 wrong sign-ins always in flight, each from a new address (what a botnet does; one address is
// throttled before any hashing), so every one costs a full scrypt. On its own Parley process behind
// PARLEY_TRUST_PROXY=1, so X-Forwarded-For can name those addresses. `tsx bench/signInLoad.ts` runs it alone.
import { monotonicMs } from './latencyProbe';
import { pinMeasuringProcess } from './processes';
import { summarize, type SampleSummary } from './stats';
import { startScratchServer, timeVisitorAcks } from './visitorAcks';

export interface SignInLoadOptions {
  quick: boolean;
  log: (line: string) => void;
  /** The server entry point: the built one in a full run; `server/main.ts` (through tsx) alone. */
  entry: string;
}

export interface SignInLoadResults {
  parallelSignIns: number;
  baselineAckMs: SampleSummary;
  duringSignInsAckMs: SampleSummary;
  /** Wrong sign-ins answered during the measured phase, by status (401 checked, 503 hash queue full). */
  signInAnswers: Record<string, number>;
  signInsPerSecond: number;
}

const PARALLEL_SIGN_INS = 32;
/** A visitor writes this often (after each ack): steady chat, far below any limit. */
const SEND_GAP_MS = 20;
const ADMIN = { email: 'bench-admin@example.com', password: 'bench admin password' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 32 loops, each sending a wrong sign-in from a fresh address as soon as the last was answered. */
function startWrongSignIns(serverUrl: string) {
  let running = true;
  let counting = false;
  let address = 0;
  const answers: Record<string, number> = {};
  const loop = async (lane: number) => {
    while (running) {
      address++;
      const res = await fetch(`${serverUrl}/api/session`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: serverUrl,
          'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
        },
        body: JSON.stringify({ email: lane % 2 ? ADMIN.email : `nobody${lane}@example.com`, password: `guess ${address}` }),
      }).catch(() => null);
      await res?.arrayBuffer();
      if (counting) answers[res?.status ?? 'error'] = (answers[res?.status ?? 'error'] ?? 0) + 1;
      if (res?.status === 503) await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
    }
  };
  const lanes = Array.from({ length: PARALLEL_SIGN_INS }, (_, lane) => loop(lane));
  return {
    startCounting: () => (counting = true),
    async stop() {
      running = false;
      await Promise.all(lanes);
      return answers;
    },
  };
}

export async function measureSignInLoad({ quick, log, entry }: SignInLoadOptions): Promise<SignInLoadResults> {
  const seconds = quick ? 4 : 10;
  // Behind one trusted proxy, so X-Forwarded-For can name each wrong sign-in's address.
  const { serverUrl, visitorUrl, stop } = await startScratchServer(entry, 'signin', {
    PARLEY_ADMIN_EMAIL: ADMIN.email,
    PARLEY_ADMIN_PASSWORD: ADMIN.password,
    PARLEY_TRUST_PROXY: '1',
  });
  try {
    await timeVisitorAcks(visitorUrl, 'warmup', sleep(1_000), SEND_GAP_MS);
    const baselineAckMs = summarize(await timeVisitorAcks(visitorUrl, 'baseline', sleep(seconds * 1000), SEND_GAP_MS));
    log(`visitor ack, no sign-ins: p50 ${baselineAckMs.p50} p99 ${baselineAckMs.p99} max ${baselineAckMs.max} ms (${baselineAckMs.n} messages)`);

    const signIns = startWrongSignIns(serverUrl);
    await sleep(1_000); // the hash queue fills up
    signIns.startCounting();
    const started = monotonicMs();
    const duringSignInsAckMs = summarize(await timeVisitorAcks(visitorUrl, 'attack', sleep(seconds * 1000), SEND_GAP_MS));
    const elapsedS = (monotonicMs() - started) / 1000;
    const signInAnswers = await signIns.stop();
    const answered = Object.values(signInAnswers).reduce((a, b) => a + b, 0);
    const signInsPerSecond = Math.round(answered / elapsedS);
    log(
      `visitor ack, ${PARALLEL_SIGN_INS} parallel wrong sign-ins: p50 ${duringSignInsAckMs.p50} p99 ${duringSignInsAckMs.p99} max ${duringSignInsAckMs.max} ms ` +
        `(${duringSignInsAckMs.n} messages); sign-ins answered ${signInsPerSecond}/s: ${JSON.stringify(signInAnswers)}`,
    );
    return { parallelSignIns: PARALLEL_SIGN_INS, baselineAckMs, duringSignInsAckMs, signInAnswers, signInsPerSecond };
  } finally {
    await stop();
  }
}

// Alone: `tsx bench/signInLoad.ts [--quick]`, against the source through tsx (no build needed).
if (process.argv[1]?.endsWith('signInLoad.ts')) {
  pinMeasuringProcess();
  const quick = process.argv.includes('--quick');
  measureSignInLoad({ quick, log: (line) => console.log(`  ${line}`), entry: process.env.BENCH_SIGNIN_ENTRY ?? 'server/main.ts' }).catch(
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
