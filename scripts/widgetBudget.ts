// The widget's byte budgets, a product promise: a page view that never chats pays for the launcher
// alone (≤ 6 KB brotli), and a chat for launcher plus panel. Sizes are the brotli and gzip copies the
// build made (vite.config.ts), which are exactly what the server sends.
//
// Launcher + panel get 14 KB with everything in them (files, links, accessibility, dark mode). They fit
// because the panel's minifier shortens the names only it uses, Preact's lifecycle names included, and
// terser compresses both files after it (vite.config.ts), and because the visitor cookie is a few lines
// of document.cookie (widget/visitorCookie.ts). docs/performance.md has where each byte goes.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export const LAUNCHER_BUDGET_BROTLI_BYTES = 6 * 1024;
export const TOTAL_BUDGET_BROTLI_BYTES = 14 * 1024;

export interface FileSizes {
  raw: number;
  brotli: number;
  gzip: number;
}

export interface BudgetReport {
  lines: string[];
  /** One sentence per budget exceeded; empty when both are met. */
  failures: string[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB (${bytes.toLocaleString('en')} bytes)`;

export function checkBudgets(launcher: FileSizes, panel: FileSizes): BudgetReport {
  const total = { raw: launcher.raw + panel.raw, brotli: launcher.brotli + panel.brotli, gzip: launcher.gzip + panel.gzip };
  const lines = [
    `launcher (widget.js): ${kb(launcher.brotli)} brotli of ${kb(LAUNCHER_BUDGET_BROTLI_BYTES)}; gzip ${kb(launcher.gzip)}, raw ${kb(launcher.raw)}`,
    `panel:                ${kb(panel.brotli)} brotli; gzip ${kb(panel.gzip)}, raw ${kb(panel.raw)}`,
    `launcher + panel:     ${kb(total.brotli)} brotli of ${kb(TOTAL_BUDGET_BROTLI_BYTES)}; gzip ${kb(total.gzip)}, raw ${kb(total.raw)}`,
  ];
  const failures: string[] = [];
  if (launcher.brotli > LAUNCHER_BUDGET_BROTLI_BYTES) {
    failures.push(`the launcher is over its budget by ${launcher.brotli - LAUNCHER_BUDGET_BROTLI_BYTES} bytes brotli`);
  }
  if (total.brotli > TOTAL_BUDGET_BROTLI_BYTES) {
    failures.push(`launcher + panel are over their budget by ${total.brotli - TOTAL_BUDGET_BROTLI_BYTES} bytes brotli`);
  }
  return { lines, failures };
}

/** The sizes of a built file and of the .br and .gz copies beside it. */
export function builtSizes(path: string): FileSizes {
  return { raw: statSync(path).size, brotli: statSync(`${path}.br`).size, gzip: statSync(`${path}.gz`).size };
}

/** dist/widget.js and the panel the last build named in dist/widget/manifest.json. */
export function widgetFilePaths(dist: string): { launcher: string; panel: string } {
  const manifest = JSON.parse(readFileSync(resolve(dist, 'widget', 'manifest.json'), 'utf8')) as Record<string, { file: string; isEntry?: boolean }>;
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  if (!entry) throw new Error('dist/widget/manifest.json names no panel');
  return { launcher: resolve(dist, 'widget.js'), panel: resolve(dist, 'widget', entry.file) };
}
