/** Percentiles and spreads of timed values: the figures every measurement reports. */

/**
 * The p-th percentile (0–100) of ascending values, interpolated between the two nearest ranks
 * (Hyndman–Fan type 7, as NumPy and spreadsheets do), so small samples do not jump from rank to rank.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (upper - lower) * (rank - below);
}

export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The median of values in any order; NaN where there are none. */
export function median(values: readonly number[]): number {
  return percentile(ascending(values), 50);
}

/** The spread of a list of latencies (or any values); NaN where there are none. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
}

export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const sorted = ascending(values);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.length === 0 ? Number.NaN : sum(sorted) / sorted.length,
    minMs: sorted[0] ?? Number.NaN,
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

/** First, second and third quartile: how far a per-slice figure moved during the run. */
export function quartiles(values: readonly number[]): { p25: number; p50: number; p75: number } {
  const sorted = ascending(values);
  return { p25: percentile(sorted, 25), p50: percentile(sorted, 50), p75: percentile(sorted, 75) };
}
