// Part of `npm run build`: prints the widget's size and fails the build above the budget.
// The budget is a product promise (under 20 KB gzipped; goal 12 KB): site owners pay for every byte.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const WIDGET_BUDGET_GZIP_BYTES = 20 * 1024;
const GOAL_GZIP_BYTES = 12 * 1024;

const file = resolve(import.meta.dirname, '..', 'dist', 'widget.js');
const raw = readFileSync(file);
const gzipped = gzipSync(raw, { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

console.log(`widget.js: ${kb(raw.length)} raw, ${kb(gzipped)} gzipped (budget ${kb(WIDGET_BUDGET_GZIP_BYTES)}, goal ${kb(GOAL_GZIP_BYTES)})`);
if (gzipped > WIDGET_BUDGET_GZIP_BYTES) {
  console.error(`widget.js is over its budget by ${kb(gzipped - WIDGET_BUDGET_GZIP_BYTES)} gzipped`);
  process.exit(1);
}
