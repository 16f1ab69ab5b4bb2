// Small statistics helpers for the bench: percentiles and a one-line summary of latency samples.
// Figures are for printing, never for asserting; all values are milliseconds rounded to 0.01.

export interface SampleSummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const roundToHundredths = (value: number) => Math.round(value * 100) / 100;

/** The p-th percentile (0–100) by linear interpolation between closest ranks; input need not be sorted. */
export function percentile(sortedOrUnsorted: number[], p: number): number {
  if (sortedOrUnsorted.length === 0) return Number.NaN;
  const sorted = [...sortedOrUnsorted].sort((a, b) => a - b);
  const clampedP = Math.min(100, Math.max(0, p));
  const rank = (clampedP / 100) * (sorted.length - 1);
  const lowerIndex = Math.floor(rank);
  const upperIndex = Math.ceil(rank);
  const lower = sorted[lowerIndex] ?? Number.NaN;
  const upper = sorted[upperIndex] ?? lower;
  return roundToHundredths(lower + (upper - lower) * (rank - lowerIndex));
}

export function summarize(samples: number[]): SampleSummary {
  const n = samples.length;
  if (n === 0) return { n: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  let sum = 0;
  let max = -Infinity;
  // A loop, not Math.max(...samples): a step at 20,000 msg/s has more samples than the call stack allows arguments.
  for (const value of samples) {
    sum += value;
    if (value > max) max = value;
  }
  return {
    n,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: roundToHundredths(max),
    mean: roundToHundredths(sum / n),
  };
}
