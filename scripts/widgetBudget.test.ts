// The build's size check: it passes within both budgets, names each one exceeded, and reads the sizes
// of the copies the server actually sends.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtSizes, checkBudgets, LAUNCHER_BUDGET_BROTLI_BYTES, TOTAL_BUDGET_BROTLI_BYTES, widgetFilePaths } from './widgetBudget';

const sizes = (brotli: number) => ({ raw: brotli * 3, brotli, gzip: Math.round(brotli * 1.1) });

describe('widget budgets', () => {
  it('passes at exactly 6 KB for the launcher and the total budget in all, and prints both sizes with gzip', () => {
    const { lines, failures } = checkBudgets(sizes(LAUNCHER_BUDGET_BROTLI_BYTES), sizes(TOTAL_BUDGET_BROTLI_BYTES - LAUNCHER_BUDGET_BROTLI_BYTES));
    expect(failures).toEqual([]);
    expect(lines.join('\n')).toMatch(/launcher \(widget\.js\): 6\.00 KB \(6,144 bytes\) brotli of 6\.00 KB/);
    expect(lines.join('\n')).toMatch(/launcher \+ panel: +14\.00 KB \(14,336 bytes\) brotli of 14\.00 KB/);
    expect(lines.join('\n')).toContain('gzip 15.40 KB');
  });

  it('fails a launcher one byte over 6 KB, though the total is within budget', () => {
    const { failures } = checkBudgets(sizes(LAUNCHER_BUDGET_BROTLI_BYTES + 1), sizes(1000));
    expect(failures).toEqual(['the launcher is over its budget by 1 bytes brotli']);
  });

  it('fails launcher and panel together over the total budget, though the launcher is small', () => {
    const { failures } = checkBudgets(sizes(2000), sizes(TOTAL_BUDGET_BROTLI_BYTES - 2000 + 250));
    expect(failures).toEqual(['launcher + panel are over their budget by 250 bytes brotli']);
  });

  it('measures the built .br and .gz copies of the panel the manifest names', () => {
    const dist = mkdtempSync(join(tmpdir(), 'parley-budget-'));
    try {
      mkdirSync(join(dist, 'widget'));
      writeFileSync(join(dist, 'widget', 'manifest.json'), JSON.stringify({ 'widget/panel.tsx': { file: 'panel-new.js', isEntry: true } }));
      for (const [name, bytes] of [['widget.js', 100], ['widget/panel-new.js', 900], ['widget/panel-old.js', 5000]] as const) {
        writeFileSync(join(dist, name), 'x'.repeat(bytes));
        writeFileSync(join(dist, `${name}.br`), 'x'.repeat(bytes / 4));
        writeFileSync(join(dist, `${name}.gz`), 'x'.repeat(bytes / 2));
      }
      const files = widgetFilePaths(dist);
      expect(builtSizes(files.launcher)).toEqual({ raw: 100, brotli: 25, gzip: 50 });
      expect(builtSizes(files.panel)).toEqual({ raw: 900, brotli: 225, gzip: 450 });
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
