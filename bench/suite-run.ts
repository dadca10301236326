/**
 * The suite's sections, in order: the pixel check of every contender against the limit, the main
 * sweep (every contender, every concurrency), the light mix, the pool shapes, and SVG. Each section
 * is one run of the measuring engine: its cells take turns in short slices, so only ratios within a
 * section compare.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configWith } from '../config/load-config.js';
import { measureTargets, describeProgress, type MeasureRun } from '../measure/measure-engine.js';
import { checkPixels, type KeepDifference, type PixelCheck } from '../measure/pixel-check.js';
import { PoolShapeTarget } from '../measure/pool-shape-target.js';
import type { ProgressLine } from '../measure/progress-line.js';
import type { RenderTarget, WorkloadChart } from '../measure/render-target.js';
import type { ContenderSet } from './contender-set.js';
import { FarmSvgTarget } from './contenders/farm-svg.js';
import { SsrSvgTarget } from './contenders/ssr-svg.js';
import { selectedCharts, type SectionPlan, type SuitePlan } from './suite-plan.js';

export type SectionName = 'main' | 'light' | 'shapes' | 'svg';

export interface SectionRun {
  plan: SectionPlan;
  /** Ids of the targets measured, in table order. */
  targetIds: string[];
  run: MeasureRun;
}

export interface SvgComparison {
  charts: number;
  /** Charts whose server-side SVG equals the browser's (counters normalised); not expected. */
  identical: number;
  /** Charts one of the two could not draw, with the message. */
  problems: string[];
}

export interface SuiteRun {
  pixelChecks: PixelCheck[];
  sections: Record<SectionName, SectionRun>;
  svg: SvgComparison;
}

/** Contenders of the light section: what the light-mix targets need and the farm's own routes. */
const LIGHT_TARGETS = ['limit', 'farm', 'farm-http', 'naive'];

export async function runSuite(plan: SuitePlan, contenders: ContenderSet, executablePath: string, progress: ProgressLine): Promise<SuiteRun> {
  const measure = async (section: SectionName, targets: readonly RenderTarget[], warmup: boolean): Promise<SectionRun> => {
    const sectionPlan = plan[section];
    const run = await measureTargets({
      targets,
      workload: selectedCharts(sectionPlan),
      concurrencies: sectionPlan.concurrencies,
      measureSeconds: sectionPlan.measureSeconds,
      sliceSeconds: sectionPlan.sliceSeconds,
      minRounds: sectionPlan.minRounds,
      warmup,
      onProgress: (state) => progress.update(`${section} · ${describeProgress(state)}`),
    });
    return { plan: sectionPlan, targetIds: targets.map((target) => target.id), run };
  };

  const pixelChecks = await checkAgainstLimit(contenders, selectedCharts(plan.pixelCheck), (text) => progress.update(text));
  // The pixel check rendered every chart on every contender: pages, caches and JIT are warm.
  const main = await measure('main', contenders.targets, false);
  const light = await measure('light', LIGHT_TARGETS.map((id) => contenders.byId(id)), false);

  progress.update('shapes · starting the pools');
  const config = configWith({ chromiumPath: executablePath });
  const shapeTargets: RenderTarget[] = [];
  for (const shape of plan.shapes.shapes) shapeTargets.push(await contenders.startExtra(() => PoolShapeTarget.start(config, shape)));
  const shapes = await measure('shapes', shapeTargets, true);
  await contenders.closeExtras();

  progress.update('svg · starting');
  const svgTargets = [await contenders.startExtra(() => FarmSvgTarget.start(executablePath, plan.farmShape)), await contenders.startExtra(async () => new SsrSvgTarget(config.renderTimeoutMs))];
  const svg = await compareSvg(svgTargets, selectedCharts(plan.svg), (text) => progress.update(text));
  const svgSection = await measure('svg', svgTargets, false);
  await contenders.closeExtras();

  return { pixelChecks, sections: { main, light, shapes, svg: svgSection }, svg };
}

/**
 * The pixel check of every contender against the limit, the contenders side by side (one check per
 * contender, each with the limit's own render of every chart): a launch or a page load waits
 * more than it computes, so this takes less time than one contender after the other.
 */
async function checkAgainstLimit(contenders: ContenderSet, charts: readonly WorkloadChart[], onProgress: (text: string) => void): Promise<PixelCheck[]> {
  const { limit } = contenders;
  const others = contenders.targets.filter((target) => target !== limit);
  const checks = await Promise.all(others.map((target) => checkPixels([limit, target], charts, limit.id, onProgress, keepInTemporaryFolder)));
  const order = new Map(charts.map((chart, index) => [chart.name, index]));
  return checks.flat().sort((a, b) => order.get(a.chart)! - order.get(b.chart)!);
}

/** A differing pair's images go to a temporary folder (named in the record), to be looked at. */
const keepInTemporaryFolder: KeepDifference = (check, expected, actual) => {
  const folder = join(tmpdir(), 'echarts-farm-pixel-check');
  mkdirSync(folder, { recursive: true });
  const paths = [join(folder, `${check.chart}.${check.referenceId}.png`), join(folder, `${check.chart}.${check.targetId}.png`)];
  writeFileSync(paths[0]!, expected);
  writeFileSync(paths[1]!, actual);
  return paths;
};

/** Each chart once on both SVG targets (their warm-up too): how many server-side SVGs equal the browser's. */
async function compareSvg(targets: readonly RenderTarget[], workload: readonly WorkloadChart[], onProgress: (text: string) => void): Promise<SvgComparison> {
  const [browser, server] = targets as [RenderTarget, RenderTarget];
  const comparison: SvgComparison = { charts: workload.length, identical: 0, problems: [] };
  for (const chart of workload) {
    onProgress(`svg · comparing ${chart.name}`);
    try {
      const [fromBrowser, fromServer] = [await browser.render(chart), await server.render(chart)];
      if (fromBrowser.bytes.equals(fromServer.bytes)) comparison.identical += 1;
    } catch (error) {
      comparison.problems.push(`${chart.name}: ${(error as Error).message}`);
    }
  }
  return comparison;
}
