/** Figures from a list of timed renders. */
import { ascending, percentile, sum, summarizeLatencies } from '../measure/latency-stats.js';
import type { Sample } from './contenders.js';

// The generic figures live in measure/, shared with `echarts-farm tune`.
export { ascending, percentile, quartiles, summarizeLatencies, type LatencySummary } from '../measure/latency-stats.js';

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
