/**
 * What a run found, in three forms: a JSON record per day (everything, for later comparison), a
 * markdown page with the latest run, and a table on stdout.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import type { PoolStats } from '../renderer/chart-renderer.js';
import type { RenderFingerprint } from '../renderer/fingerprint.js';
import { packageRoot } from '../renderer/package-root.js';
import type { BenchChart } from './charts.js';
import type { ContenderId, Sample } from './contenders.js';
import type { RunResult, Schedule } from './interleave.js';
import type { TreeMemory } from '../renderer/process-tree.js';
import { formatDuration } from './progress-line.js';
import { quartiles, summarize, type Summary } from './stats.js';
import { machineLine, type Machine } from '../measure/machine.js';
import { recordJson, writeResultFiles } from '../measure/result-files.js';
import { formatMarkdownTable, formatMs, formatRate, formatTextTable } from '../measure/table-format.js';

// Shared with `echarts-farm tune`, so they live in measure/.
export { describeMachine, machineLine, type Machine } from '../measure/machine.js';
export { recordJson, writeResultFiles } from '../measure/result-files.js';
export { formatMarkdownTable, formatMs, formatRate, formatTextTable } from '../measure/table-format.js';

export interface Versions {
  /** The farm's code: the renderer changes under the benchmark, so say which one was measured. */
  farm: { commit: string; uncommittedChanges: boolean; fingerprint: RenderFingerprint };
  node: string;
  /** `browser.version()` of the farm's browser and of a cold launch: the same binary, so equal. */
  chromium: { warm: string; cold: string };
  chromiumPath: string;
  echarts: string;
  puppeteer: string;
}

export interface Settings {
  mode: 'quick' | 'full';
  schedule: Schedule;
  image: { type: 'png'; width: number; height: number; devicePixelRatio: 1 };
  /** The farm's renderer settings (production defaults but the pool size). */
  warm: object;
  cold: { flags: readonly string[]; finishedWaitMs: number; steps: string };
}

export interface ChartFigures {
  name: string;
  about: string;
  warm: Summary;
  cold: Summary;
  /** Farm renders per second over cold renders per second. */
  speedUp: number;
  /** Quartiles of the per-slice speed-ups: how much the ratio moved with the machine's load. */
  sliceSpeedUp: { p25: number; p50: number; p75: number };
  pixelDiff: number | undefined;
  failures: Record<ContenderId, number>;
  errors: string[];
  /** Every kept latency, for comparisons this report does not make. */
  latenciesMs: Record<ContenderId, number[]>;
}

export interface Report {
  benchmark: 'warm-vs-cold';
  date: string;
  startedAt: string;
  wallMs: number;
  machine: Machine;
  versions: Versions;
  settings: Settings;
  rounds: number;
  measuredMs: number;
  charts: ChartFigures[];
  /** All charts together, one of each per slice: the speed-up of an even mix. */
  mix: { warm: Summary; cold: Summary; speedUp: number };
  /** The warm browser and its processes after the last measured render. */
  warmBrowserMemory: TreeMemory | undefined;
  farmStats: PoolStats;
}

/** HEAD and whether the work tree differs from it; `unknown` outside a git checkout. */
export function describeSource(): { commit: string; uncommittedChanges: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), uncommittedChanges: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { commit: 'unknown', uncommittedChanges: false };
  }
}

/** The installed version of a dependency, from its package.json. */
export function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}

export function puppeteerVersion(): string {
  return packageVersion('puppeteer');
}

export interface ReportInput {
  startedAt: Date;
  machine: Machine;
  versions: Versions;
  settings: Settings;
  charts: readonly BenchChart[];
  run: RunResult;
  warmBrowserMemory: TreeMemory | undefined;
  farmStats: PoolStats;
}

/** The fields every benchmark record opens with: what ran, when, where, with what. */
export function recordHeader<B extends string, V, S>(
  benchmark: B,
  input: { startedAt: Date; machine: Machine; versions: V; settings: S },
  run: { rounds: number; measuredMs: number },
) {
  return {
    benchmark,
    date: input.startedAt.toISOString().slice(0, 10),
    startedAt: input.startedAt.toISOString(),
    wallMs: Date.now() - input.startedAt.getTime(),
    machine: { ...input.machine, loadAverage: { start: input.machine.loadAverage.start, end: loadavg()[0]! } },
    versions: input.versions,
    settings: input.settings,
    rounds: run.rounds,
    measuredMs: run.measuredMs,
  };
}

export function buildReport(input: ReportInput): Report {
  const { run } = input;
  const charts = input.charts.map((chart): ChartFigures => {
    const chartRun = run.charts[chart.name]!;
    const warm = summarize(chartRun.samples.warm);
    const cold = summarize(chartRun.samples.cold);
    const latencies = (samples: Sample[]) => samples.map((sample) => Math.round(sample.latencyMs * 10) / 10);
    return {
      name: chart.name,
      about: chart.about,
      warm,
      cold,
      speedUp: warm.rendersPerSecond / cold.rendersPerSecond,
      sliceSpeedUp: quartiles(chartRun.sliceSpeedUps),
      pixelDiff: chartRun.pixelDiff,
      failures: chartRun.failures,
      errors: chartRun.errors,
      latenciesMs: { warm: latencies(chartRun.samples.warm), cold: latencies(chartRun.samples.cold) },
    };
  });
  const all = (id: ContenderId) => summarize(Object.values(run.charts).flatMap((chartRun) => chartRun.samples[id]));
  const mix = { warm: all('warm'), cold: all('cold') };
  return {
    ...recordHeader('warm-vs-cold', input, run),
    charts,
    mix: { ...mix, speedUp: mix.warm.rendersPerSecond / mix.cold.rendersPerSecond },
    warmBrowserMemory: input.warmBrowserMemory,
    farmStats: input.farmStats,
  };
}

const HEADER = ['chart', 'contender', 'renders', 'renders/s', 'p50 ms', 'p95 ms', 'speed-up warm/cold', 'per-slice p25–p75'];

type Comparison = Pick<ChartFigures, 'warm' | 'cold' | 'speedUp'> & Partial<Pick<ChartFigures, 'sliceSpeedUp'>>;

function tableRows(report: Report): string[][] {
  const rows = (name: string, { warm, cold, speedUp, sliceSpeedUp }: Comparison) => [
    [name, 'farm (warm page)', String(warm.renders), formatRate(warm.rendersPerSecond), formatMs(warm.p50Ms), formatMs(warm.p95Ms), `×${speedUp.toFixed(1)}`,
      sliceSpeedUp ? `×${sliceSpeedUp.p25.toFixed(1)}–${sliceSpeedUp.p75.toFixed(1)}` : ''],
    ['', 'launch per render', String(cold.renders), formatRate(cold.rendersPerSecond), formatMs(cold.p50Ms), formatMs(cold.p95Ms), '', ''],
  ];
  return [...report.charts.flatMap((chart) => rows(chart.name, chart)), ...rows('all four', report.mix)];
}

const MIB = 1024 * 1024;

function memoryLine(report: Report): string {
  const memory = report.warmBrowserMemory;
  if (!memory) return 'Warm browser memory: not measured (no browser pid).';
  return (
    `Warm browser after ${report.farmStats.renders} farm renders: RSS ${(memory.rssBytes / MIB).toFixed(0)} MiB summed over ` +
    `${memory.processes} processes (PSS ${(memory.pssBytes / MIB).toFixed(0)} MiB; RSS counts shared pages once per process).`
  );
}

/** Things a reader must not miss: failures, capped waits, images that differ. */
function warnings(report: Report): string[] {
  return report.charts.flatMap((chart) => {
    const found: string[] = [];
    const failed = chart.failures.warm + chart.failures.cold;
    if (failed > 0) found.push(`${chart.name}: ${failed} failed renders (${chart.errors.join('; ')})`);
    const capped = chart.warm.cappedRenders + chart.cold.cappedRenders;
    if (capped > 0) found.push(`${chart.name}: ${capped} renders never saw \`finished\` and were captured at the cap`);
    if (chart.pixelDiff !== 0) found.push(`${chart.name}: the two contenders' images differ in ${chart.pixelDiff ?? 'unknown'} pixels`);
    return found;
  });
}

function runLine(report: Report): string {
  const { schedule } = report.settings;
  return (
    `${report.rounds} rounds in ${formatDuration(report.measuredMs)} measured (${formatDuration(report.wallMs)} in all, ${report.settings.mode} mode); ` +
    `each round, per chart: ${schedule.warmPerSlice} farm renders then 1 cold launch; ${schedule.warmupRounds} warm-up round(s) not counted.`
  );
}

/** The farm's code that was measured, in one line. */
export function farmLine(farm: Versions['farm']): string {
  return (
    `Farm: commit ${farm.commit.slice(0, 12)}${farm.uncommittedChanges ? ' with uncommitted changes' : ''}, ` +
    `render fingerprint ${farm.fingerprint.hash} (page template ${farm.fingerprint.template}).`
  );
}

function machineLines(report: Report): string[] {
  const { machine, versions } = report;
  const chromium = versions.chromium.warm === versions.chromium.cold ? versions.chromium.warm : `${versions.chromium.warm} (cold: ${versions.chromium.cold})`;
  return [
    machineLine(machine),
    `Versions: Node ${versions.node}, ${chromium} (${versions.chromiumPath}), ECharts ${versions.echarts}, puppeteer ${versions.puppeteer}.`,
    farmLine(versions.farm),
  ];
}

export function formatConsole(report: Report): string {
  return [
    `warm-vs-cold, ${report.settings.image.width}x${report.settings.image.height} PNG, ${report.date}`,
    runLine(report),
    '',
    ...formatTextTable(HEADER, tableRows(report), 2),
    '',
    memoryLine(report),
    ...machineLines(report),
    ...warnings(report).map((warning) => `WARNING ${warning}`),
  ].join('\n');
}

export function formatMarkdown(report: Report, jsonName: string, readme: string): string {
  const pixelCheck = report.charts.every((chart) => chart.pixelDiff === 0)
    ? 'The farm and the cold launch drew the same pixels for every chart (checked once per chart, during warm-up).'
    : 'The pixel check found differences: see the warnings.';
  return [
    `# Warm page vs launch per render (${report.date})`,
    '',
    `Latest run of \`npm run bench\`: ${report.settings.image.width}×${report.settings.image.height} PNG, ` +
      `one farm page (1 browser × 1 page) against a fresh Chromium per render. How to read it: [${readme}](${readme}). ` +
      `Full record: [${jsonName}](${jsonName}).`,
    '',
    ...formatMarkdownTable(HEADER, tableRows(report), 2),
    '',
    `- ${runLine(report)}`,
    `- ${memoryLine(report)}`,
    `- ${pixelCheck}`,
    ...machineLines(report).map((line) => `- ${line}`),
    `- Farm settings: ${JSON.stringify(report.settings.warm)}.`,
    `- Cold launch: ${report.settings.cold.steps}; flags \`${report.settings.cold.flags.join(' ')}\`.`,
    ...warnings(report).map((warning) => `- **Warning:** ${warning}`),
    '',
  ].join('\n');
}

/** Where a run's files go, and the README's path relative to there (for the markdown's link). */
export function resultsLocation(benchDir: string, mode: 'quick' | 'full'): { dir: string; readme: string } {
  const dir = join(benchDir, 'results', mode === 'quick' ? 'quick' : '');
  return { dir, readme: relative(dir, join(benchDir, 'README.md')) };
}

/**
 * Writes `warm-vs-cold-<date>.json` and `warm-vs-cold.md`. Quick runs go to `quick/` (ignored by
 * git), so a trial never replaces the day's full record.
 */
export function writeResults(report: Report, benchDir: string): { json: string; markdown: string } {
  const { dir, readme } = resultsLocation(benchDir, report.settings.mode);
  const jsonName = `warm-vs-cold-${report.date}.json`;
  const [json, markdown] = writeResultFiles(dir, [
    { name: jsonName, text: recordJson(report) },
    { name: 'warm-vs-cold.md', text: formatMarkdown(report, jsonName, readme) },
  ]);
  return { json: json!, markdown: markdown! };
}
