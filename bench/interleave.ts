/**
 * The run itself. The machine is shared and its load drifts, so the contenders take turns in short
 * slices (a few farm renders, then one cold launch, of the same chart; round-robin over the charts)
 * and both see the same drift. Only ratios from one run mean anything.
 */
import { differingPixels } from '../test/helpers/pixels.js';
import type { BenchChart } from './charts.js';
import type { Contender, ContenderId, Sample } from './contenders.js';
import { runTimedRounds } from '../measure/timed-rounds.js';
import type { ProgressLine } from './progress-line.js';

export interface Schedule {
  /** Measured seconds; the last round may run past them by up to half a round. */
  measureSeconds: number;
  /** Farm renders per slice, before the one cold render of the same chart. */
  warmPerSlice: number;
  /** Rounds rendered first and thrown away (JIT, caches, the first launch's disk reads). */
  warmupRounds: number;
  /** Rounds measured whatever the clock says, so even a slow machine gets a p95 of something. */
  minRounds: number;
}

export interface ChartRun {
  samples: Record<ContenderId, Sample[]>;
  /** Renders that threw, warm-up included; the first few messages are kept. */
  failures: Record<ContenderId, number>;
  errors: string[];
  /** Pixels that differ between the two contenders' first images (0: the same chart was drawn). */
  pixelDiff: number | undefined;
  /** Per measured slice: the cold render's cost over the mean cost of its farm renders. Their spread shows the noise. */
  sliceSpeedUps: number[];
}

export interface RunResult {
  rounds: number;
  measuredMs: number;
  charts: Record<string, ChartRun>;
}

const KEPT_ERRORS = 5;

export async function runInterleaved(
  charts: readonly BenchChart[],
  contenders: Record<ContenderId, Contender>,
  schedule: Schedule,
  progress: ProgressLine,
): Promise<RunResult> {
  const runs: Record<string, ChartRun> = Object.fromEntries(
    charts.map((chart) => [
      chart.name,
      { samples: { warm: [], cold: [] }, failures: { warm: 0, cold: 0 }, errors: [], pixelDiff: undefined, sliceSpeedUps: [] },
    ]),
  );
  const sliceOrder: ContenderId[] = [...Array<ContenderId>(schedule.warmPerSlice).fill('warm'), 'cold'];
  const kept = { warm: 0, cold: 0 };
  let phase = 'warming up';

  /** One slice; answers the first image of each contender for the pixel check. */
  const slice = async (chart: BenchChart, keep: boolean): Promise<Partial<Record<ContenderId, Buffer>>> => {
    const run = runs[chart.name]!;
    const images: Partial<Record<ContenderId, Buffer>> = {};
    const costs: Record<ContenderId, number[]> = { warm: [], cold: [] };
    for (const id of sliceOrder) {
      progress.update(`${phase} · ${chart.name} · ${id === 'warm' ? 'farm' : 'cold launch'} · kept ${kept.warm} farm + ${kept.cold} cold renders`);
      try {
        const { bytes, ...sample } = await contenders[id].render(chart);
        images[id] ??= bytes;
        costs[id].push(sample.costMs);
        if (keep) {
          run.samples[id].push(sample);
          kept[id] += 1;
        }
      } catch (error) {
        run.failures[id] += 1;
        if (run.errors.length < KEPT_ERRORS) run.errors.push(`${id}: ${(error as Error).message}`);
      }
    }
    const warmMean = costs.warm.reduce((total, cost) => total + cost, 0) / costs.warm.length;
    if (keep && costs.cold[0] !== undefined && costs.warm.length > 0) run.sliceSpeedUps.push(costs.cold[0] / warmMean);
    return images;
  };

  for (let round = 0; round < schedule.warmupRounds; round += 1) {
    for (const chart of charts) {
      const images = await slice(chart, false);
      const run = runs[chart.name]!;
      if (run.pixelDiff === undefined && images.warm && images.cold) run.pixelDiff = differingPixels(images.warm, images.cold);
    }
  }

  const { rounds, measuredMs } = await runTimedRounds(schedule, async (label) => {
    phase = label;
    for (const chart of charts) await slice(chart, true);
  });
  return { rounds, measuredMs, charts: runs };
}

// Shared with `echarts-farm tune`.
export { runTimedRounds };
