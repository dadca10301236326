/**
 * `tune`'s choice: among the measured (shape, concurrency) rows that meet the operator's budget,
 * the one with the most renders per second. A row that failed any render never qualifies.
 */
import { describeShape, rendersCap, type PoolShape } from './pool-shape-target.js';

/** One measured (shape, concurrency), as the recommendation and the table see it. */
export interface TuneRow {
  shape: PoolShape;
  concurrency: number;
  renders: number;
  errors: number;
  rendersPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  cpuSecondsPerRender: number;
  peakMemoryBytes: number;
  steadyMemoryBytes: number;
}

/** Most throughput, within the budgets given (none given: most throughput, full stop). */
export interface TuneGoal {
  goal: 'throughput';
  maxP95Ms?: number;
  /** Against the peak PSS of the pool's browsers plus the Node process. */
  maxMemoryMiB?: number;
}

/** The settings `tune` recommends, by their environment variables. */
export interface RecommendedSettings {
  POOL_BROWSERS: number;
  POOL_PAGES_PER_BROWSER: number;
  /** Always stated: its default (1) is the default shape's, not every shape's. */
  POOL_RENDERS_PER_BROWSER: number;
  QUEUE_MAX_CONCURRENT: number;
}

export interface Recommendation {
  /** Index into the rows of the chosen one; undefined when no row met the budget. */
  chosen: number | undefined;
  settings: RecommendedSettings | undefined;
  reason: string;
  /** Per row, in the rows' order: why it missed the budget (empty: it met it). */
  misses: string[][];
}

const MIB = 1024 * 1024;

export function describeRow(row: Pick<TuneRow, 'shape' | 'concurrency'>): string {
  return `pool ${describeShape(row.shape)} at concurrency ${row.concurrency}`;
}

/** `p95 ≤ 500 ms and peak memory ≤ 2048 MiB`, or `no budget`. */
export function describeBudget(goal: TuneGoal): string {
  const limits = [
    goal.maxP95Ms === undefined ? undefined : `p95 ≤ ${goal.maxP95Ms} ms`,
    goal.maxMemoryMiB === undefined ? undefined : `peak memory ≤ ${goal.maxMemoryMiB} MiB`,
  ].filter((limit) => limit !== undefined);
  return limits.length === 0 ? 'no budget' : limits.join(' and ');
}

/** Why `row` misses the budget; empty when it meets it. */
export function budgetMisses(row: TuneRow, goal: TuneGoal): string[] {
  const misses: string[] = [];
  if (row.renders === 0) misses.push('no render finished');
  if (row.errors > 0) misses.push(`${row.errors} failed render${row.errors === 1 ? '' : 's'}`);
  if (goal.maxP95Ms !== undefined && !(row.p95Ms <= goal.maxP95Ms)) misses.push(`p95 ${Math.round(row.p95Ms)} ms > ${goal.maxP95Ms} ms`);
  const peakMiB = row.peakMemoryBytes / MIB;
  if (goal.maxMemoryMiB !== undefined && !(peakMiB <= goal.maxMemoryMiB)) misses.push(`peak ${Math.round(peakMiB)} MiB > ${goal.maxMemoryMiB} MiB`);
  return misses;
}

export function recommend(rows: readonly TuneRow[], goal: TuneGoal): Recommendation {
  const misses = rows.map((row) => budgetMisses(row, goal));
  const eligible = rows.map((_, index) => index).filter((index) => misses[index]!.length === 0);
  if (eligible.length === 0) {
    return { chosen: undefined, settings: undefined, misses, reason: `no pool shape met the budget (${describeBudget(goal)}) on this host` };
  }
  // Most renders/s; on a tie, fewer pages (less memory), then lower concurrency.
  const [best, runnerUp] = [...eligible].sort((a, b) => {
    const [left, right] = [rows[a]!, rows[b]!];
    return (
      right.rendersPerSecond - left.rendersPerSecond ||
      left.shape.browsers * left.shape.pagesPerBrowser - right.shape.browsers * right.shape.pagesPerBrowser ||
      left.concurrency - right.concurrency
    );
  }) as [number, number | undefined];
  const row = rows[best]!;
  const next = runnerUp === undefined ? undefined : rows[runnerUp]!;
  const lead = next === undefined ? '' : `; next: ${describeRow(next)}, ${next.rendersPerSecond.toFixed(2)} renders/s (${((1 - next.rendersPerSecond / row.rendersPerSecond) * 100).toFixed(1)}% fewer)`;
  return {
    chosen: best,
    settings: {
      POOL_BROWSERS: row.shape.browsers,
      POOL_PAGES_PER_BROWSER: row.shape.pagesPerBrowser,
      POOL_RENDERS_PER_BROWSER: rendersCap(row.shape) ?? row.shape.pagesPerBrowser,
      QUEUE_MAX_CONCURRENT: row.concurrency,
    },
    misses,
    reason:
      `${describeRow(row)} rendered the most among the ${eligible.length} of ${rows.length} measured that met the budget (${describeBudget(goal)}): ` +
      `${row.rendersPerSecond.toFixed(2)} renders/s, p95 ${Math.round(row.p95Ms)} ms, peak ${Math.round(row.peakMemoryBytes / MIB)} MiB${lead}`,
  };
}

/** `POOL_BROWSERS=2` and so on, one per line, as an env file takes them. */
export function envLines(settings: RecommendedSettings): string[] {
  return Object.entries(settings).map(([name, value]) => `${name}=${value}`);
}
