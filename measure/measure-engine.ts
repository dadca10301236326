/**
 * The measuring engine shared by the bench suite's sweep and `echarts-farm tune`: it drives render
 * targets over a workload at given concurrencies and reports, per (target, concurrency), throughput,
 * latency percentiles, CPU per render and memory.
 *
 * The host is shared and its load drifts, so the cells take turns in short slices, round after
 * round, until the time budget is used: every cell sees the same drift, and ratios between cells of
 * one run mean something. Absolute figures from a noisy host do not; compare within a run.
 */
import { cellFigures, type CellFigures } from './cell-figures.js';
import type { RenderTarget, WorkloadChart } from './render-target.js';
import { runSlice, type SliceOutcome } from './slice.js';
import { runTimedRounds } from './timed-rounds.js';
import { WorkloadCursor } from './workload-cursor.js';

export interface MeasurePlan {
  /** Started targets; the engine renders through them but neither starts nor closes them. */
  targets: readonly RenderTarget[];
  /** The charts, rendered in order, round and round (see measure/workloads.ts). */
  workload: readonly WorkloadChart[];
  /** Renders in flight at once: the same for every target, or chosen per target (a pool's pages, twice them). */
  concurrencies: readonly number[] | ((target: RenderTarget) => readonly number[]);
  /** Measured seconds for the whole run, shared by all cells; the last round may run past them by half a round. */
  measureSeconds: number;
  /**
   * Length of one slice of one cell. Shorter slices follow the host's drift more closely; longer ones
   * lose less to the drain at their end (the renders in flight when time is up).
   * @defaultValue 2
   */
  sliceSeconds?: number;
  /**
   * Before measuring, each target renders every chart once at its highest concurrency, not counted:
   * pages load both pixel ratios, JIT and caches warm up.
   * @defaultValue true
   */
  warmup?: boolean;
  /**
   * Rounds run whatever the clock says.
   * @defaultValue 1
   */
  minRounds?: number;
  /**
   * Time between memory samples (each reads /proc for the target's processes).
   * @defaultValue 500
   */
  memorySampleMs?: number;
  /** Called at each slice's start and after each render: feed it to a progress line (see `describeProgress`). */
  onProgress?: (progress: MeasureProgress) => void;
}

export interface MeasureProgress {
  phase: 'warm-up' | 'measure';
  /** `round 3, ~1:20 left` while measuring; empty during warm-up. */
  round: string;
  targetId: string;
  concurrency: number;
  /** Renders done so far in this phase, every cell together, failures included. */
  renders: number;
  errors: number;
}

export interface MeasureRun {
  rounds: number;
  measuredMs: number;
  /** Warm-up included. */
  wallMs: number;
  /** One per (target, concurrency), in the plan's order: targets first, then their concurrencies. */
  cells: CellFigures[];
  /** Failed warm-up renders per target id: the first few messages. */
  warmupErrors: Record<string, string[]>;
}

/** The one-line text of a progress report: `measure · round 2, ~1:10 left · pool-2x1 at 4 · 120 renders, 0 errors`. */
export function describeProgress(progress: MeasureProgress): string {
  const round = progress.round === '' ? '' : ` · ${progress.round}`;
  return (
    `${progress.phase}${round} · ${progress.targetId} at ${progress.concurrency} · ` +
    `${progress.renders} renders, ${progress.errors} error${progress.errors === 1 ? '' : 's'}`
  );
}

interface Cell {
  target: RenderTarget;
  concurrency: number;
  cursor: WorkloadCursor;
  slices: SliceOutcome[];
}

function planCells(plan: MeasurePlan): Cell[] {
  return plan.targets.flatMap((target) => {
    const levels = typeof plan.concurrencies === 'function' ? plan.concurrencies(target) : plan.concurrencies;
    if (levels.length === 0 || levels.some((level) => !Number.isInteger(level) || level < 1)) {
      throw new Error(`concurrencies of ${target.id} must be whole numbers from 1 up, got [${levels.join(', ')}]`);
    }
    return levels.map((concurrency) => ({ target, concurrency, cursor: new WorkloadCursor(plan.workload), slices: [] }));
  });
}

export async function measureTargets(plan: MeasurePlan): Promise<MeasureRun> {
  const started = performance.now();
  const cells = planCells(plan);
  const memorySampleMs = plan.memorySampleMs ?? 500;
  const tally = { renders: 0, errors: 0 };
  const report = (phase: MeasureProgress['phase'], round: string, cell: Cell) =>
    plan.onProgress?.({ phase, round, targetId: cell.target.id, concurrency: cell.concurrency, ...tally });

  const warmupErrors: Record<string, string[]> = {};
  if (plan.warmup ?? true) {
    for (const target of plan.targets) {
      const widest = cells.filter((cell) => cell.target === target).reduce((a, b) => (b.concurrency > a.concurrency ? b : a));
      report('warm-up', '', widest);
      warmupErrors[target.id] = await warmUp(widest, plan.workload, () => report('warm-up', '', widest), tally);
    }
  }

  tally.renders = 0;
  tally.errors = 0;
  const sliceMs = (plan.sliceSeconds ?? 2) * 1000;
  const { rounds, measuredMs } = await runTimedRounds(
    { measureSeconds: plan.measureSeconds, minRounds: plan.minRounds ?? 1 },
    async (label, index) => {
      // Each round starts one cell further on, so no cell always follows the same neighbour.
      for (let offset = 0; offset < cells.length; offset += 1) {
        const cell = cells[(index + offset) % cells.length]!;
        report('measure', label, cell);
        const slice = await runSlice(cell.target, cell.cursor, {
          concurrency: cell.concurrency,
          sliceMs,
          memorySampleMs,
          onRender: () => {
            tally.renders += 1;
            report('measure', label, cell);
          },
        });
        tally.errors += slice.errors;
        cell.slices.push(slice);
      }
    },
  );
  const secondHalfFromMs = performance.now() - measuredMs / 2;
  return {
    rounds,
    measuredMs,
    wallMs: performance.now() - started,
    cells: cells.map((cell) =>
      cellFigures({ targetId: cell.target.id, targetLabel: cell.target.label, concurrency: cell.concurrency }, cell.slices, secondHalfFromMs),
    ),
    warmupErrors,
  };
}

/** Every chart once, `cell.concurrency` at a time; answers the first few error messages. */
async function warmUp(
  cell: Cell,
  workload: readonly WorkloadChart[],
  onRender: () => void,
  tally: { renders: number; errors: number },
): Promise<string[]> {
  const errors: string[] = [];
  const queue = [...workload];
  const worker = async () => {
    for (let chart = queue.shift(); chart !== undefined; chart = queue.shift()) {
      try {
        await cell.target.render(chart);
      } catch (error) {
        tally.errors += 1;
        if (errors.length < 5) errors.push(`${chart.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      tally.renders += 1;
      onRender();
    }
  };
  await Promise.all(Array.from({ length: cell.concurrency }, worker));
  return errors;
}
