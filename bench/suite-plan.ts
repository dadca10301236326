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

type Budget = Pick<SectionPlan, 'measureSeconds' | 'sliceSeconds' | 'minRounds'>;

/** Seconds measured, slice length and minimum rounds of each section, per mode. */
const BUDGETS: Record<SuiteMode, Record<'main' | 'light' | 'shapes' | 'svg', Budget>> = {
  full: {
    main: { measureSeconds: 300, sliceSeconds: 2, minRounds: 2 },
    light: { measureSeconds: 60, sliceSeconds: 2, minRounds: 2 },
    shapes: { measureSeconds: 75, sliceSeconds: 2, minRounds: 2 },
    svg: { measureSeconds: 30, sliceSeconds: 2, minRounds: 2 },
  },
  quick: {
    main: { measureSeconds: 30, sliceSeconds: 1, minRounds: 1 },
    light: { measureSeconds: 8, sliceSeconds: 1, minRounds: 1 },
    shapes: { measureSeconds: 8, sliceSeconds: 1, minRounds: 1 },
    svg: { measureSeconds: 4, sliceSeconds: 1, minRounds: 1 },
  },
  // One short slice per cell: the point is that every part runs, not what it measures.
  smoke: {
    main: { measureSeconds: 0.1, sliceSeconds: 0.3, minRounds: 1 },
    light: { measureSeconds: 0.1, sliceSeconds: 0.3, minRounds: 1 },
    shapes: { measureSeconds: 0.1, sliceSeconds: 0.3, minRounds: 1 },
    svg: { measureSeconds: 0.1, sliceSeconds: 0.3, minRounds: 1 },
  },
};

/** Two light charts, one per pixel ratio: the smoke run fits the smoke test's minute on a busy host. */
const SMOKE_CHARTS = ['bar-grouped@1', 'pie-labelled@2'];

export function suitePlan(mode: SuiteMode, cores = availableParallelism()): SuitePlan {
  const smoke = mode === 'smoke';
  // The smoke run starts fewer browsers and measures one concurrency per section.
  const lanes = smoke ? 1 : cores;
  const budget = BUDGETS[mode];
  const full: ChartSelection = smoke ? { workload: 'light', charts: SMOKE_CHARTS } : { workload: 'full' };
  const light: ChartSelection = smoke ? full : { workload: 'light' };
  const shapes: PoolShape[] = smoke
    ? [{ browsers: 1, pagesPerBrowser: 1 }]
    : [
        { browsers: 1, pagesPerBrowser: 1 },
        { browsers: 1, pagesPerBrowser: 2 },
        { browsers: cores, pagesPerBrowser: 1 },
        { browsers: cores, pagesPerBrowser: 2 },
        { browsers: cores, pagesPerBrowser: 2, rendersPerBrowser: 1 },
        { browsers: 2 * cores, pagesPerBrowser: 1 },
      ];
  return {
    mode,
    limitBrowsers: lanes,
    // The limit's layout: a browser per lane, a page per pixel ratio in each, one render at a time per browser.
    farmShape: { browsers: lanes, pagesPerBrowser: 2, rendersPerBrowser: 1 },
    clusterWorkers: lanes,
    pixelCheck: full,
    main: { ...full, concurrencies: smoke ? [2] : [1, 2, 4, 8], ...budget.main },
    light: { ...light, concurrencies: smoke ? [1] : [1, cores], ...budget.light },
    shapes: { ...full, concurrencies: [smoke ? 1 : 2 * cores], ...budget.shapes, shapes },
    svg: { ...full, concurrencies: smoke ? [1] : [1, cores], ...budget.svg },
  };
}
