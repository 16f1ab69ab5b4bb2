// What the widget costs a site's visitors, beside a peer in the same run: bytes over the wire
// (compressed, with headers) for a page view that never opens the chat, opening it, a first chat and a
// returning visitor's page view; and, under 4× CPU throttling in Chromium, the time to a visible
// launcher and from the first click to an interactive panel. Median of 5 fresh browser contexts with
// the range. The peer is @rocket.chat/livechat (bench/livechatPeer.ts). `npx tsx bench/widgetDelivery.ts`
// runs it alone; `npm run bench` runs it in its widget section.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { embedSnippet } from '../shared/embedSnippet';
import { launchChromium } from '../e2e/browser';
import { startLivechatPeer } from './livechatPeer';
import { percentile } from './stats';

const CPU_THROTTLING = 4;
/** After the launcher shows (or the panel opens), how long to keep counting bytes for late requests. */
const SETTLE_MS = 1500;
/** How long a visitor's pointer rests on the launcher before the click, in the hover series. */
const HOVER_MS = 300;

/** One widget as the bench drives it: where its page is, and how to find its launcher and message box. */
interface Subject {
  name: string;
  pageUrl: string;
  /** Runs in every frame: the launcher button if it is in this frame's document. */
  launcher: string;
  /** Runs in the launcher's frame: the visible message box once the panel is interactive. */
  messageBox: string;
  /** Parley only: send a first message and wait for its acknowledgement. */
  chat?: (page: Page) => Promise<void>;
}

interface Traffic {
  requests: number;
  bytes: number;
}

interface Run {
  launcherVisibleMs: number;
  panelInteractiveMs: number;
  /** The same, when the pointer rested on the launcher for HOVER_MS first (Parley prefetches then). */
  afterHoverMs: number;
  pageView: Traffic;
  open: Traffic;
  firstChat: Traffic | null;
  returning: Traffic;
}

interface Range {
  median: number;
  min: number;
  max: number;
}

export interface WidgetDeliveryResult {
  name: string;
  runs: number;
  launcherVisibleMs: Range;
  panelInteractiveMs: Range;
  afterHoverMs: Range;
  pageView: { requests: number; bytes: Range };
  open: { requests: number; bytes: Range };
  firstChat: { requests: number; bytes: Range } | null;
  returning: { requests: number; bytes: Range };
}

export interface WidgetDeliveryResults {
  cpuThrottling: number;
  parley: WidgetDeliveryResult;
  peer: WidgetDeliveryResult & { package: string };
  /** Parley's figure divided by the peer's (below 1: Parley is smaller or faster). */
  ratios: Record<'launcherVisibleMs' | 'panelInteractiveMs' | 'afterHoverMs' | 'pageViewBytes' | 'openBytes' | 'returningBytes', number>;
}

/**
 * Counts what crosses the wire for one page, from Chromium's own network events: every HTTP response
 * (headers and compressed body: encodedDataLength) and WebSocket frame but the host page's own; a
 * response from the browser's cache is not counted.
 */
async function countTraffic(page: Page, hostPage: string): Promise<{ cdp: CDPSession; total: () => Traffic }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let requests = 0;
  let bytes = 0;
  /** The host page and its favicon: the site's own, not the widget's. */
  const siteOwn = new Set<string>();
  cdp.on('Network.requestWillBeSent', (event) => {
    if (event.request.url === hostPage || event.request.url.endsWith('/favicon.ico')) siteOwn.add(event.requestId);
  });
  cdp.on('Network.loadingFinished', (event) => {
    // Served from the browser's cache, it crossed no wire: neither counted nor a request.
    if (siteOwn.has(event.requestId) || event.encodedDataLength === 0) return;
    requests++;
    bytes += event.encodedDataLength;
  });
  // A frame's payload plus its header (2 bytes, 4 more for a client's mask, 2 more past 125 bytes).
  const frame = (masked: boolean) => (event: { response: { payloadData: string } }) => {
    const length = Buffer.byteLength(event.response.payloadData);
    bytes += length + 2 + (masked ? 4 : 0) + (length > 125 ? 2 : 0);
  };
  cdp.on('Network.webSocketFrameSent', frame(true));
  cdp.on('Network.webSocketFrameReceived', frame(false));
  cdp.on('Network.webSocketHandshakeResponseReceived', () => void requests++);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING });
  return { cdp, total: () => ({ requests, bytes }) };
}

const minus = (a: Traffic, b: Traffic): Traffic => ({ requests: a.requests - b.requests, bytes: a.bytes - b.bytes });

/** Waits, in the page, until a frame records when its launcher first had a size; ms since navigation. */
async function launcherVisibleMs(page: Page): Promise<number> {
  for (;;) {
    for (const frame of page.frames()) {
      const at = await frame.evaluate<number | null>('window.__launcherAt ?? null').catch(() => null);
      if (at !== null) return at - (await page.evaluate<number>('performance.timeOrigin'));
    }
    await page.waitForTimeout(50);
  }
}

/** Clicks the launcher from inside its frame and times, there, until the message box is visible. */
async function clickToInteractiveMs(page: Page, subject: Subject, hoverMs = 0): Promise<number> {
  for (const frame of page.frames()) {
    // A string, not a function: tsx would wrap a function's inner helpers in a __name() the page lacks.
    const ms = await frame
      .evaluate<number | null>(
        `new Promise((done) => {
          const button = ${subject.launcher};
          if (!button) return done(null);
          button.dispatchEvent(new PointerEvent('pointerenter'));
          button.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
          setTimeout(() => {
          const start = performance.now();
          button.click();
          const tick = () => {
            const box = ${subject.messageBox};
            if (box && box.offsetWidth > 0) done(performance.now() - start);
            else requestAnimationFrame(tick);
          };
          tick();
          }, ${hoverMs});
        })`,
      )
      .catch(() => null);
    if (ms !== null) return ms;
  }
  throw new Error(`${subject.name}: no launcher to click`);
}

async function visit(context: BrowserContext, subject: Subject): Promise<{ page: Page; traffic: () => Traffic; launcherMs: number }> {
  const page = await context.newPage();
  const { total } = await countTraffic(page, subject.pageUrl);
  await page.goto(subject.pageUrl);
  const launcherMs = await launcherVisibleMs(page);
  await page.waitForTimeout(SETTLE_MS);
  return { page, traffic: total, launcherMs };
}

/** A fresh browser context (empty cache, no cookie) whose frames note when the launcher first shows. */
async function freshContext(browser: Browser, subject: Subject): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // In every frame from its first script: note when the launcher first has a size (polled each frame).
  await context.addInitScript(`(() => {
    const tick = () => {
      const el = ${subject.launcher};
      if (el && el.offsetWidth > 0) window.__launcherAt = performance.timeOrigin + performance.now();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  return context;
}

async function measureOne(browser: Browser, subject: Subject): Promise<Run> {
  const context = await freshContext(browser, subject);
  try {
    const first = await visit(context, subject);
    const pageView = first.traffic();
    const panelInteractiveMs = await clickToInteractiveMs(first.page, subject);
    await first.page.waitForTimeout(SETTLE_MS);
    const opened = first.traffic();
    let firstChat: Traffic | null = null;
    if (subject.chat) {
      await subject.chat(first.page);
      firstChat = first.traffic();
    }
    await first.page.close();
    const again = await visit(context, subject);
    const returning = again.traffic();
    // A new visitor whose pointer rests on the launcher before clicking, as a mouse's does.
    const hoverContext = await freshContext(browser, subject);
    let afterHoverMs: number;
    try {
      const hovering = await visit(hoverContext, subject);
      afterHoverMs = await clickToInteractiveMs(hovering.page, subject, HOVER_MS);
    } finally {
      await hoverContext.close();
    }
    return { launcherVisibleMs: first.launcherMs, panelInteractiveMs, afterHoverMs, pageView, open: minus(opened, pageView), firstChat, returning };
  } finally {
    await context.close();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
const range = (values: number[]): Range => ({ median: round(percentile(values, 50)), min: round(Math.min(...values)), max: round(Math.max(...values)) });
const traffic = (runs: Traffic[]) => ({ requests: percentile(runs.map((t) => t.requests), 50), bytes: range(runs.map((t) => t.bytes)) });

async function measureSubject(subject: Subject, runs: number, log: (line: string) => void): Promise<WidgetDeliveryResult> {
  const browser = await launchChromium();
  const results: Run[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const run = await measureOne(browser, subject);
      results.push(run);
      log(
        `${subject.name} run ${i + 1}/${runs}: launcher ${run.launcherVisibleMs.toFixed(0)} ms, panel ${run.panelInteractiveMs.toFixed(0)} ms after the click ` +
          `(${run.afterHoverMs.toFixed(0)} ms after a ${HOVER_MS} ms hover); ` +
          `page view ${run.pageView.bytes} B in ${run.pageView.requests}, open +${run.open.bytes} B in ${run.open.requests}` +
          `${run.firstChat ? `, first chat ${run.firstChat.bytes} B` : ''}, returning ${run.returning.bytes} B in ${run.returning.requests}`,
      );
    }
  } finally {
    await browser.close();
  }
  const chats = results.map((r) => r.firstChat).filter((t): t is Traffic => t !== null);
  return {
    name: subject.name,
    runs,
    launcherVisibleMs: range(results.map((r) => r.launcherVisibleMs)),
    panelInteractiveMs: range(results.map((r) => r.panelInteractiveMs)),
    afterHoverMs: range(results.map((r) => r.afterHoverMs)),
    pageView: traffic(results.map((r) => r.pageView)),
    open: traffic(results.map((r) => r.open)),
    firstChat: chats.length ? traffic(chats) : null,
    returning: traffic(results.map((r) => r.returning)),
  };
}

/** A customer's page on its own origin, embedding Parley from `serverUrl` with the README's snippet. */
async function startHostSite(serverUrl: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><title>Another shop</title></head><body><main><h1>Another shop</h1><p>Beans.</p></main>\n${embedSnippet(serverUrl)}</body></html>`);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

export async function measureWidgetDelivery(options: { serverUrl: string; quick: boolean; log: (line: string) => void }): Promise<WidgetDeliveryResults> {
  const runs = options.quick ? 3 : 5;
  const site = await startHostSite(options.serverUrl);
  const peer = await startLivechatPeer();
  try {
    const parley = await measureSubject(
      {
        name: 'Parley',
        pageUrl: site.url,
        launcher: `document.querySelector('[data-parley]')?.shadowRoot?.querySelector('button.launcher')`,
        messageBox: `document.querySelector('[data-parley]')?.shadowRoot?.querySelector('textarea')`,
        chat: async (page) => {
          const box = page.getByRole('textbox', { name: 'Type your message' });
          await box.fill('Do you ship to Norway?');
          await box.press('Enter');
          await page.getByText(/^Sent/).waitFor({ timeout: 30_000 });
          await page.waitForTimeout(SETTLE_MS);
        },
      },
      runs,
      options.log,
    );
    const rocketChat = await measureSubject(
      {
        name: `@rocket.chat/livechat ${peer.version}`,
        pageUrl: `${peer.url}/`,
        launcher: `(location.pathname === '/livechat' ? document.querySelector('[class*="screen__chat-button"]') : null)`,
        messageBox: `document.querySelector('[class*="composer__input"]')`,
      },
      runs,
      options.log,
    );
    const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
    return {
      cpuThrottling: CPU_THROTTLING,
      parley,
      peer: { ...rocketChat, package: `@rocket.chat/livechat@${peer.version}` },
      ratios: {
        launcherVisibleMs: ratio(parley.launcherVisibleMs.median, rocketChat.launcherVisibleMs.median),
        panelInteractiveMs: ratio(parley.panelInteractiveMs.median, rocketChat.panelInteractiveMs.median),
        afterHoverMs: ratio(parley.afterHoverMs.median, rocketChat.afterHoverMs.median),
        pageViewBytes: ratio(parley.pageView.bytes.median, rocketChat.pageView.bytes.median),
        openBytes: ratio(parley.pageView.bytes.median + parley.open.bytes.median, rocketChat.pageView.bytes.median + rocketChat.open.bytes.median),
        returningBytes: ratio(parley.returning.bytes.median, rocketChat.returning.bytes.median),
      },
    };
  } finally {
    await peer.close();
    await new Promise<void>((done) => site.server.close(() => done()));
  }
}

/** The figures as table rows: measure, Parley, peer, ratio. */
export function widgetDeliveryRows(r: WidgetDeliveryResults): string[][] {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const ms = (range: Range) => `${range.median} ms (${range.min}–${range.max})`;
  const bytes = (t: { requests: number; bytes: Range }) => `${kb(t.bytes.median)} in ${t.requests} requests`;
  return [
    ['Page view, chat never opened', bytes(r.parley.pageView), bytes(r.peer.pageView), `${r.ratios.pageViewBytes}`],
    ['… then opening the chat (added)', bytes(r.parley.open), bytes(r.peer.open), `${r.ratios.openBytes} (page view + open)`],
    ['First chat (page view, open, one message acked)', r.parley.firstChat ? bytes(r.parley.firstChat) : '–', '– (needs a real server)', ''],
    ["Returning visitor's page view (same browser)", bytes(r.parley.returning), bytes(r.peer.returning), `${r.ratios.returningBytes}`],
    [`Launcher visible after navigation start, ${r.cpuThrottling}× CPU throttling`, ms(r.parley.launcherVisibleMs), ms(r.peer.launcherVisibleMs), `${r.ratios.launcherVisibleMs}`],
    [`First click → panel interactive, ${r.cpuThrottling}× CPU throttling`, ms(r.parley.panelInteractiveMs), ms(r.peer.panelInteractiveMs), `${r.ratios.panelInteractiveMs}`],
    [`… after a ${HOVER_MS} ms hover on the launcher`, ms(r.parley.afterHoverMs), ms(r.peer.afterHoverMs), `${r.ratios.afterHoverMs}`],
  ];
}

// Alone: a test Parley in this process (the browser is what is measured), then the table.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { startTestParley } = await import('../server/testing');
  const parley = await startTestParley();
  try {
    const results = await measureWidgetDelivery({ serverUrl: parley.url, quick: process.argv.includes('--quick'), log: (line) => console.log(`  ${line}`) });
    console.log(JSON.stringify(results, null, 2));
    for (const row of widgetDeliveryRows(results)) console.log(row.join(' | '));
  } finally {
    await parley.destroy();
  }
}
