// Part of `npm run build`: prints the widget's sizes and fails the build above either budget
// (scripts/widgetBudget.ts): site owners pay for every byte.
import { resolve } from 'node:path';
import { builtSizes, checkBudgets, widgetFilePaths } from './widgetBudget';

const files = widgetFilePaths(resolve(import.meta.dirname, '..', 'dist'));
const { lines, failures } = checkBudgets(builtSizes(files.launcher), builtSizes(files.panel));
for (const line of lines) console.log(line);
for (const failure of failures) console.error(`Widget budget: ${failure}`);
if (failures.length > 0) process.exit(1);
