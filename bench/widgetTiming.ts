// Measures what the widget costs a host page: dist/widget.js size (raw and gzip -9) and the time from
// navigation to an interactive launcher in headless Chromium, on the demo page of a running Parley.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EntryType } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../e2e/browser';
import { percentile } from './stats';

/** The fields read from the page's PerformanceNavigationTiming and PerformanceResourceTiming entries. */
interface PageTimingEntry {
  name: string;
  startTime: number;
  responseEnd: number;
  domContentLoadedEventEnd: number;
  loadEventEnd: number;
}

export interface WidgetTimingOptions {
  quick: boolean;
  log: (line: string) => void;
  serverUrl: string;
}

export interface WidgetTimingRun {
  /** performance.mark('parley:ready') — set right after the widget's first render — since navigation start. */
  readyMs: number;
  /** When the page asked for widget.js, and when its last byte arrived (Resource Timing). */
  scriptRequestedMs: number;
  scriptLoadedMs: number;
  /** The widget's own cost: parse, execute, first render. */
  readyAfterScriptLoadedMs: number;
  /** Mark minus domContentLoadedEventEnd, clamped at 0 (the async script may run before DOMContentLoaded ends). */
  readyAfterDomContentLoadedMs: number;
  /** Unclamped value of the above; negative when the widget was ready before DOMContentLoaded finished. */
  readyMinusDomContentLoadedMs: number;
  domContentLoadedMs: number;
  loadEventEndMs: number;
  readyBeforeLoadEvent: boolean;
}

export interface WidgetTimingResults {
  rawBytes: number;
  gzipBytes: number;
  contexts: number;
  readyMs: { median: number; min: number; max: number };
  readyAfterScriptLoadedMs: { median: number; min: number; max: number };
  readyAfterDomContentLoadedMs: { median: number; min: number; max: number; clampedRuns: number };
  definition: string;
  runs: WidgetTimingRun[];
}

const projectRoot = resolve(import.meta.dirname, '..');
const READY_MARK = 'parley:ready';

const roundToHundredths = (value: number) => Math.round(value * 100) / 100;
const medianMinMax = (values: number[]) => ({
  median: percentile(values, 50),
  min: roundToHundredths(Math.min(...values)),
  max: roundToHundredths(Math.max(...values)),
});

export async function measureWidget(options: WidgetTimingOptions): Promise<WidgetTimingResults> {
  const { quick, log, serverUrl } = options;
  const script = readFileSync(resolve(projectRoot, 'dist', 'widget.js'));
  const rawBytes = script.length;
  const gzipBytes = gzipSync(script, { level: 9 }).length;
  log(`widget.js: ${rawBytes} bytes raw, ${gzipBytes} bytes gzip -9`);

  const contexts = quick ? 3 : 5;
  const runs: WidgetTimingRun[] = [];
  const browser = await launchChromium();
  try {
    for (let run = 0; run < contexts; run++) {
      // A fresh context each time: empty HTTP cache, no visitor cookie, like a first-time visitor.
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${serverUrl}/`, { waitUntil: 'load' });
        await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, READY_MARK, {
          timeout: 15_000,
        });
        const timing = await page.evaluate((mark) => {
          const ready = performance.getEntriesByName(mark)[0];
          // This runs in the page, but the file is checked as Node code without DOM types: the page's
          // Navigation and Resource Timing entries are typed by the few fields read (PageTimingEntry).
          const navigation = performance.getEntriesByType('navigation' as EntryType)[0] as unknown as PageTimingEntry | undefined;
          const script = (performance.getEntriesByType('resource') as unknown as PageTimingEntry[]).find((entry) =>
            entry.name.endsWith('/widget.js'),
          );
          return {
            scriptRequestedMs: script?.startTime ?? Number.NaN,
            scriptLoadedMs: script?.responseEnd ?? Number.NaN,
            readyMs: ready?.startTime ?? Number.NaN,
            domContentLoadedMs: navigation?.domContentLoadedEventEnd ?? Number.NaN,
            loadEventEndMs: navigation?.loadEventEnd ?? Number.NaN,
          };
        }, READY_MARK);

        // Sanity check of "interactive": the launcher is in the shadow root and its click handler works.
        const launcher = page.locator('[data-parley] button.launcher');
        if ((await launcher.getAttribute('aria-expanded')) !== 'false') throw new Error('launcher missing or already open');
        await launcher.click();
        if ((await launcher.getAttribute('aria-expanded')) !== 'true') throw new Error('launcher click did not open the panel');

        const readyMinusDomContentLoadedMs = timing.readyMs - timing.domContentLoadedMs;
        runs.push({
          readyMs: roundToHundredths(timing.readyMs),
          scriptRequestedMs: roundToHundredths(timing.scriptRequestedMs),
          scriptLoadedMs: roundToHundredths(timing.scriptLoadedMs),
          readyAfterScriptLoadedMs: roundToHundredths(timing.readyMs - timing.scriptLoadedMs),
          readyAfterDomContentLoadedMs: roundToHundredths(Math.max(0, readyMinusDomContentLoadedMs)),
          readyMinusDomContentLoadedMs: roundToHundredths(readyMinusDomContentLoadedMs),
          domContentLoadedMs: roundToHundredths(timing.domContentLoadedMs),
          loadEventEndMs: roundToHundredths(timing.loadEventEndMs),
          readyBeforeLoadEvent: timing.readyMs < timing.loadEventEndMs,
        });
        log(
          `widget run ${run + 1}/${contexts}: ready ${timing.readyMs.toFixed(1)} ms after navigation start, ` +
            `${(timing.readyMs - timing.scriptLoadedMs).toFixed(1)} ms after widget.js arrived ` +
            `(requested at ${timing.scriptRequestedMs.toFixed(1)} ms, arrived ${timing.scriptLoadedMs.toFixed(1)} ms; ` +
            `DOMContentLoaded ${timing.domContentLoadedMs.toFixed(1)} ms, load ${timing.loadEventEndMs.toFixed(1)} ms)`,
        );
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }

  return {
    rawBytes,
    gzipBytes,
    contexts,
    readyMs: medianMinMax(runs.map((r) => r.readyMs)),
    readyAfterScriptLoadedMs: medianMinMax(runs.map((r) => r.readyAfterScriptLoadedMs)),
    readyAfterDomContentLoadedMs: {
      ...medianMinMax(runs.map((r) => r.readyAfterDomContentLoadedMs)),
      clampedRuns: runs.filter((r) => r.readyMinusDomContentLoadedMs < 0).length,
    },
    definition:
      "interactive = performance.mark('parley:ready'), set in widget/launcher.ts once " +
      'the shadow-root launcher button and its click handler exist; checked by clicking it afterwards. ' +
      'readyAfterDomContentLoadedMs is clamped at 0; clampedRuns counts runs where the widget was ready first.',
    runs,
  };
}
