/** Figures from a list of timed renders. */
import type { Sample } from './contenders.js';

export interface Summary {
  renders: number;
  /** Renders divided by the time the contender was busy (sum of `costMs`), not by wall time. */
  rendersPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** Median of each named step, to see where the time goes. */
  medianStepsMs: Record<string, number>;
  /** Renders where ECharts never said `finished` (captured at the wait cap). */
  cappedRenders: number;
}

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

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
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

function medianSteps(samples: readonly Sample[]): Record<string, number> {
  const names = [...new Set(samples.flatMap((sample) => Object.keys(sample.steps)))];
  return Object.fromEntries(names.map((name) => [name, percentile(ascending(samples.map((sample) => sample.steps[name] ?? 0)), 50)]));
}

/** Percentiles are of the latency; the rate is of the cost (see Sample). */
export function summarize(samples: readonly Sample[]): Summary {
  const latencies = summarizeLatencies(samples.map((sample) => sample.latencyMs));
  return {
    renders: samples.length,
    rendersPerSecond: samples.length === 0 ? 0 : (samples.length * 1000) / sum(samples.map((sample) => sample.costMs)),
    p50Ms: latencies.p50Ms,
    p95Ms: latencies.p95Ms,
    meanMs: latencies.meanMs,
    minMs: latencies.minMs,
    maxMs: latencies.maxMs,
    medianStepsMs: medianSteps(samples),
    cappedRenders: samples.filter((sample) => sample.settledBy === 'cap').length,
  };
}
