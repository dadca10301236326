/**
 * `tune`'s run: starts one farm renderer per pool shape, measures them all in one interleaved run,
 * and turns the figures into rows and a recommendation. The caller prints and writes them.
 */
import type { Config } from '../config/settings.js';
import type { CellFigures } from './cell-figures.js';
import { describeMachine, type Machine } from './machine.js';
import { describeProgress, measureTargets } from './measure-engine.js';
import { describeShape, PoolShapeTarget, type PoolShape } from './pool-shape-target.js';
import { concurrenciesOf, type ConcurrencyLevel } from './tune-plan.js';
import { recommend, type Recommendation, type TuneGoal, type TuneRow } from './tune-recommendation.js';
import { WORKLOADS, type WorkloadName } from './workloads.js';

export interface TuneSettings {
  /** The farm's settings; each shape overrides only POOL_BROWSERS and POOL_PAGES_PER_BROWSER. */
  config: Config;
  shapes: readonly PoolShape[];
  levels: readonly ConcurrencyLevel[];
  workload: WorkloadName;
  measureSeconds: number;
  sliceSeconds: number;
  goal: TuneGoal;
  /** One line of text per step, for a progress line. */
  onProgress?: (text: string) => void;
}

export interface TuneResult {
  startedAt: string;
  machine: Machine;
  settings: {
    shapes: string[];
    concurrency: string[];
    workload: WorkloadName;
    charts: string[];
    measureSeconds: number;
    sliceSeconds: number;
    goal: TuneGoal;
  };
  rounds: number;
  measuredMs: number;
  wallMs: number;
  /** One per (shape, concurrency), shapes in the order given. */
  rows: TuneRow[];
  recommendation: Recommendation;
  /** The engine's figures behind each row (the latencies left out), for the JSON record. */
  cells: Omit<CellFigures, 'latenciesMs'>[];
  warmupErrors: Record<string, string[]>;
}

function rowOf(shape: PoolShape, cell: CellFigures): TuneRow {
  return {
    shape,
    concurrency: cell.concurrency,
    renders: cell.renders,
    errors: cell.errors,
    rendersPerSecond: cell.rendersPerSecond,
    p50Ms: cell.latency.p50Ms,
    p95Ms: cell.latency.p95Ms,
    p99Ms: cell.latency.p99Ms,
    cpuSecondsPerRender: cell.cpuSecondsPerRender,
    peakMemoryBytes: cell.memory.peakBytes,
    steadyMemoryBytes: cell.memory.steadyBytes,
  };
}

/** Starts the shapes one after another (launching browsers side by side on a small host only slows each). */
async function startShapes(settings: TuneSettings): Promise<PoolShapeTarget[]> {
  const targets: PoolShapeTarget[] = [];
  try {
    for (const [index, shape] of settings.shapes.entries()) {
      settings.onProgress?.(`starting pool ${describeShape(shape)} (${index + 1} of ${settings.shapes.length})`);
      targets.push(await PoolShapeTarget.start(settings.config, shape));
    }
    return targets;
  } catch (error) {
    await Promise.all(targets.map((target) => target.close()));
    throw error;
  }
}

export async function runTune(settings: TuneSettings): Promise<TuneResult> {
  const startedAt = new Date();
  const machine = describeMachine();
  const workload = WORKLOADS[settings.workload];
  const targets = await startShapes(settings);
  try {
    const run = await measureTargets({
      targets,
      workload,
      concurrencies: (target) => concurrenciesOf((target as PoolShapeTarget).shape, settings.levels),
      measureSeconds: settings.measureSeconds,
      sliceSeconds: settings.sliceSeconds,
      onProgress: (progress) => settings.onProgress?.(describeProgress(progress)),
    });
    const shapeOf = new Map(targets.map((target) => [target.id, target.shape]));
    const rows = run.cells.map((cell) => rowOf(shapeOf.get(cell.targetId)!, cell));
    return {
      startedAt: startedAt.toISOString(),
      machine: { ...machine, loadAverage: { start: machine.loadAverage.start, end: describeMachine().loadAverage.end } },
      settings: {
        shapes: settings.shapes.map(describeShape),
        concurrency: settings.levels.map((level) => level.label),
        workload: settings.workload,
        charts: workload.map((chart) => chart.name),
        measureSeconds: settings.measureSeconds,
        sliceSeconds: settings.sliceSeconds,
        goal: settings.goal,
      },
      rounds: run.rounds,
      measuredMs: run.measuredMs,
      wallMs: Date.now() - startedAt.getTime(),
      rows,
      recommendation: recommend(rows, settings.goal),
      cells: run.cells.map(({ latenciesMs, ...figures }) => figures),
      warmupErrors: run.warmupErrors,
    };
  } finally {
    settings.onProgress?.('closing the pools');
    await Promise.all(targets.map((target) => target.close()));
  }
}
