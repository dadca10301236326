/**
 * What a suite run measures, per mode: the sections, their workloads, concurrencies and time
 * budgets, and the shape of every contender. Sized for about 10 minutes on 2 cores (`--quick`:
 * about 2, `--smoke`: well under a minute).
 */
import { availableParallelism } from 'node:os';
import type { PoolShape } from '../measure/pool-shape-target.js';
import type { WorkloadChart } from '../measure/render-target.js';
import { WORKLOADS, type WorkloadName } from '../measure/workloads.js';
import type { SuiteMode } from './suite-options.js';

/** A workload, or some of its charts (the smoke run's). */
export interface ChartSelection {
  workload: WorkloadName;
  /** Names of the charts to keep; all of them when absent. */
  charts?: readonly string[];
}

export function selectedCharts(selection: ChartSelection): WorkloadChart[] {
  const all = WORKLOADS[selection.workload];
  return selection.charts === undefined ? [...all] : all.filter((chart) => selection.charts!.includes(chart.name));
}

export interface SectionPlan extends ChartSelection {
  concurrencies: readonly number[];
  measureSeconds: number;
  sliceSeconds: number;
  minRounds: number;
}

export interface SuitePlan {
  mode: SuiteMode;
  /** Browsers of the limit: one per core is the fastest layout known (DESIGN.md). */
  limitBrowsers: number;
  /**
   * The pool of every farm contender: one browser per core, and per browser one page for each pixel
   * ratio of the mix, as the limit has one window per ratio: no page reloads for another ratio.
   */
  farmShape: PoolShape;
  /** Workers of puppeteer-cluster: one per core. */
  clusterWorkers: number;
  /** Every contender's PNG of each of these charts is compared with the limit's before anything is timed. */
  pixelCheck: ChartSelection;
  /** Every contender, the concurrency sweep. */
  main: SectionPlan;
  /** The limit, the farm (in process, HTTP) and naive on light charts only. */
  light: SectionPlan;
  /** The farm in process in several pool shapes, at one concurrency. */
  shapes: SectionPlan & { shapes: readonly PoolShape[] };
  /** The farm's browser SVG against ECharts' server-side SVG in Node. */
  svg: SectionPlan;
}

const SMOKE_CHARTS = ['bar-grouped@1', 'pie-labelled@2'];
/** One short slice per cell. */
const SMOKE_BUDGET = { measureSeconds: 0.1, sliceSeconds: 0.3, minRounds: 1 };

export function suitePlan(mode: SuiteMode, cores = availableParallelism()): SuitePlan {
  const sweep = [1, 2, 4, 8];
  const shapes: PoolShape[] = [
    { browsers: 1, pagesPerBrowser: 1 },
    { browsers: 1, pagesPerBrowser: 2 },
    { browsers: cores, pagesPerBrowser: 1 },
    { browsers: cores, pagesPerBrowser: 2 },
    { browsers: 2 * cores, pagesPerBrowser: 1 },
  ];
  const shared = { limitBrowsers: cores, farmShape: { browsers: cores, pagesPerBrowser: 2 }, clusterWorkers: cores };
  switch (mode) {
    case 'full':
      return {
        mode,
        ...shared,
        pixelCheck: { workload: 'full' },
        main: { workload: 'full', concurrencies: sweep, measureSeconds: 300, sliceSeconds: 2, minRounds: 2 },
        light: { workload: 'light', concurrencies: [1, cores], measureSeconds: 60, sliceSeconds: 2, minRounds: 2 },
        shapes: { workload: 'full', concurrencies: [2 * cores], measureSeconds: 75, sliceSeconds: 2, minRounds: 2, shapes },
        svg: { workload: 'full', concurrencies: [1, cores], measureSeconds: 30, sliceSeconds: 2, minRounds: 2 },
      };
    case 'quick':
      return {
        mode,
        ...shared,
        pixelCheck: { workload: 'full' },
        main: { workload: 'full', concurrencies: sweep, measureSeconds: 30, sliceSeconds: 1, minRounds: 1 },
        light: { workload: 'light', concurrencies: [1, cores], measureSeconds: 8, sliceSeconds: 1, minRounds: 1 },
        shapes: { workload: 'full', concurrencies: [2 * cores], measureSeconds: 8, sliceSeconds: 1, minRounds: 1, shapes },
        svg: { workload: 'full', concurrencies: [1, cores], measureSeconds: 4, sliceSeconds: 1, minRounds: 1 },
      };
    case 'smoke':
      // Fewer browsers and two light charts (one per pixel ratio): the point is that every part
      // runs, within the smoke test's minute on a busy host, not what it measures.
      return {
        mode,
        limitBrowsers: 1,
        farmShape: { browsers: 1, pagesPerBrowser: 2 },
        clusterWorkers: 1,
        pixelCheck: { workload: 'light', charts: SMOKE_CHARTS },
        main: { workload: 'light', charts: SMOKE_CHARTS, concurrencies: [2], ...SMOKE_BUDGET },
        light: { workload: 'light', charts: SMOKE_CHARTS, concurrencies: [1], ...SMOKE_BUDGET },
        shapes: { workload: 'light', charts: SMOKE_CHARTS, concurrencies: [1], ...SMOKE_BUDGET, shapes: [{ browsers: 1, pagesPerBrowser: 1 }] },
        svg: { workload: 'light', charts: SMOKE_CHARTS, concurrencies: [1], ...SMOKE_BUDGET },
      };
  }
}
