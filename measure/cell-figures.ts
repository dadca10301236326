/** The figures of one (target, concurrency) cell, summed up from its slices. */
import { median, quartiles, sum, summarizeLatencies, type LatencySummary } from './latency-stats.js';
import type { MemorySample, SliceOutcome } from './slice.js';

export interface CellFigures {
  targetId: string;
  targetLabel: string;
  concurrency: number;
  /** Renders that succeeded. */
  renders: number;
  errors: number;
  /** The first few error messages. */
  firstErrors: string[];
  /** Renders captured at the wait cap because ECharts never said `finished`. */
  cappedRenders: number;
  slices: number;
  /** Time the target was busy in its slices (wall time of each slice, the drain included). */
  busyMs: number;
  /** Renders ÷ busy time. */
  rendersPerSecond: number;
  /** Quartiles of the per-slice renders/s: how much the host's noise moved the rate. */
  sliceRendersPerSecond: { p25: number; p50: number; p75: number };
  latency: LatencySummary;
  /** CPU seconds of the Node process and the target's trees, per successful render. */
  cpuSecondsPerRender: number;
  memory: {
    /** Highest PSS sample (Node process + the target's Chromium trees). */
    peakBytes: number;
    /** Median of the samples from the second half of the run, when the pool has settled. */
    steadyBytes: number;
    samples: number;
  };
  /** Every successful render's latency, in order, for comparisons this summary does not make. */
  latenciesMs: number[];
}

const KEPT_ERRORS = 5;

/**
 * Sums the slices of one cell. `secondHalfFromMs` is the `performance.now()` from which memory
 * samples count as steady; a cell with none after it uses all of its samples.
 */
export function cellFigures(
  cell: { targetId: string; targetLabel: string; concurrency: number },
  slices: readonly SliceOutcome[],
  secondHalfFromMs: number,
): CellFigures {
  const latenciesMs = slices.flatMap((slice) => slice.latenciesMs);
  const busyMs = sum(slices.map((slice) => slice.busyMs));
  const samples: MemorySample[] = slices.flatMap((slice) => slice.memorySamples);
  const late = samples.filter((sample) => sample.atMs >= secondHalfFromMs);
  const steadySamples = late.length > 0 ? late : samples;
  const renders = latenciesMs.length;
  return {
    ...cell,
    renders,
    errors: sum(slices.map((slice) => slice.errors)),
    firstErrors: slices.flatMap((slice) => slice.firstErrors).slice(0, KEPT_ERRORS),
    cappedRenders: sum(slices.map((slice) => slice.capped)),
    slices: slices.length,
    busyMs,
    rendersPerSecond: busyMs === 0 ? 0 : (renders * 1000) / busyMs,
    sliceRendersPerSecond: quartiles(slices.map((slice) => (slice.busyMs === 0 ? 0 : (slice.latenciesMs.length * 1000) / slice.busyMs))),
    latency: summarizeLatencies(latenciesMs),
    cpuSecondsPerRender: renders === 0 ? Number.NaN : sum(slices.map((slice) => slice.cpuSeconds)) / renders,
    memory: {
      peakBytes: samples.length === 0 ? Number.NaN : Math.max(...samples.map((sample) => sample.bytes)),
      steadyBytes: median(steadySamples.map((sample) => sample.bytes)),
      samples: samples.length,
    },
    latenciesMs,
  };
}
