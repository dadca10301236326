/**
 * What `tune` found, in three forms: a table with the recommendation on stdout, and in the report
 * folder a markdown page, the JSON record and a chart of throughput and p95 against pool shape,
 * rendered by the farm.
 */
import type { Config } from '../config/settings.js';
import { renderFigurePng, type FigureSeries, type FigureSpec } from './figure-chart.js';
import { machineLine } from './machine.js';
import { describeShape, pagesOf } from './pool-shape-target.js';
import { formatDuration } from './progress-line.js';
import { recordJson, writeResultFiles } from './result-files.js';
import { formatMarkdownTable, formatMs, formatRate, formatTextTable } from './table-format.js';
import { describeBudget, envLines } from './tune-recommendation.js';
import type { TuneResult } from './tune-run.js';

const MIB = 1024 * 1024;

export const TUNE_TABLE_HEADER = [
  'pool',
  'budget',
  'browsers',
  'pages/browser',
  'concurrency',
  'renders',
  'errors',
  'renders/s',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'CPU s/render',
  'peak MiB',
  'steady MiB',
];

/** The table's rows; the `budget` column says `best`, `met`, or why the row missed. */
export function tuneTableRows(result: TuneResult): string[][] {
  const { rows, recommendation } = result;
  return rows.map((row, index) => {
    const misses = recommendation.misses[index] ?? [];
    const verdict = index === recommendation.chosen ? 'best' : misses.length === 0 ? 'met' : misses.join(', ');
    return [
      describeShape(row.shape),
      verdict,
      String(row.shape.browsers),
      String(row.shape.pagesPerBrowser),
      String(row.concurrency),
      String(row.renders),
      String(row.errors),
      formatRate(row.rendersPerSecond),
      formatMs(row.p50Ms),
      formatMs(row.p95Ms),
      formatMs(row.p99Ms),
      Number.isNaN(row.cpuSecondsPerRender) ? '–' : row.cpuSecondsPerRender.toFixed(3),
      (row.peakMemoryBytes / MIB).toFixed(0),
      (row.steadyMemoryBytes / MIB).toFixed(0),
    ];
  });
}

function runLine(result: TuneResult): string {
  const { settings } = result;
  return (
    `${result.rows.length} (pool, concurrency) cells, ${settings.workload} workload of ${settings.charts.length} charts; ` +
    `${result.rounds} rounds of ${settings.sliceSeconds} s slices in ${formatDuration(result.measuredMs)} measured ` +
    `(${formatDuration(result.wallMs)} in all, start-up and warm-up included).`
  );
}

/** Failed renders and warm-up failures: a reader must not miss them. */
function warnings(result: TuneResult): string[] {
  const failed = result.cells
    .filter((cell) => cell.errors > 0)
    .map((cell) => `${cell.targetLabel} at concurrency ${cell.concurrency}: ${cell.errors} failed renders (${cell.firstErrors.join('; ')})`);
  const warmup = Object.entries(result.warmupErrors)
    .filter(([, errors]) => errors.length > 0)
    .map(([id, errors]) => `${id} failed during warm-up: ${errors.join('; ')}`);
  return [...failed, ...warmup];
}

/** The recommendation as env lines and its reason, or the clear statement that there is none. */
export function recommendationLines(result: TuneResult): string[] {
  const { settings, reason } = result.recommendation;
  return settings ? [...envLines(settings), `# ${reason}`] : [`No recommendation: ${reason}.`];
}

export function formatTuneConsole(result: TuneResult): string {
  return [
    runLine(result),
    machineLine(result.machine),
    '',
    ...formatTextTable(TUNE_TABLE_HEADER, tuneTableRows(result), 2),
    '',
    ...warnings(result).map((warning) => `WARNING ${warning}`),
    ...recommendationLines(result),
  ].join('\n');
}

/** Throughput bars and p95 lines against pool shape, one of each per concurrency level. */
export function tuneFigure(result: TuneResult): FigureSpec {
  const shapes = [...new Map(result.rows.map((row) => [describeShape(row.shape), row.shape])).values()].sort(
    (a, b) => pagesOf(a) - pagesOf(b) || a.browsers - b.browsers,
  );
  const levels = result.settings.concurrency;
  const valueAt = (shapeIndex: number, levelIndex: number, pick: (row: TuneResult['rows'][number]) => number) => {
    const shape = shapes[shapeIndex]!;
    const rows = result.rows.filter((row) => describeShape(row.shape) === describeShape(shape));
    // A shape whose levels gave the same concurrency has fewer rows than levels: the last one stands in.
    const row = rows[Math.min(levelIndex, rows.length - 1)];
    return row === undefined || Number.isNaN(pick(row)) ? null : pick(row);
  };
  const perLevel = (kind: FigureSeries['kind'], axis: FigureSeries['axis'], what: string, pick: (row: TuneResult['rows'][number]) => number) =>
    levels.map((level, levelIndex): FigureSeries => ({
      name: `${what}, concurrency ${level}`,
      kind,
      axis,
      values: shapes.map((_, shapeIndex) => valueAt(shapeIndex, levelIndex, pick)),
    }));
  return {
    title: 'Throughput and p95 latency by pool shape',
    subtitle: `${result.settings.workload} workload · ${result.machine.cores} cores · ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    xName: 'pool (browsers × pages per browser)',
    categories: shapes.map(describeShape),
    leftAxisName: 'renders/s',
    rightAxisName: 'p95 ms',
    series: [
      ...perLevel('bar', 'left', 'renders/s', (row) => Math.round(row.rendersPerSecond * 100) / 100),
      ...perLevel('line', 'right', 'p95 ms', (row) => Math.round(row.p95Ms)),
    ],
  };
}

export function formatTuneMarkdown(result: TuneResult, names: { json: string; png: string }): string {
  const { settings } = result.recommendation;
  return [
    `# echarts-farm tune (${result.startedAt.slice(0, 10)})`,
    '',
    `Goal: most renders per second (${describeBudget(result.settings.goal)}). Full record: [${names.json}](${names.json}).`,
    '',
    settings ? '## Recommendation' : '## No recommendation',
    '',
    ...(settings ? ['```sh', ...envLines(settings), '```', '', result.recommendation.reason, ''] : [`${result.recommendation.reason}.`, '']),
    '## Measured',
    '',
    ...formatMarkdownTable(TUNE_TABLE_HEADER, tuneTableRows(result), 2),
    '',
    `![Throughput and p95 latency by pool shape](${names.png})`,
    '',
    `- ${runLine(result)}`,
    `- ${machineLine(result.machine)}`,
    '- renders/s is renders divided by the time the pool was busy; memory is the PSS of the pool\'s browsers ' +
      'plus the measuring Node process (steady: median of the second half of the run); CPU counts both too.',
    '- The pools took turns in short slices, so host noise hit them alike: compare rows with each other, ' +
      'not with runs on another day or host.',
    ...warnings(result).map((warning) => `- **Warning:** ${warning}`),
    '',
  ].join('\n');
}

export interface TuneReportFiles {
  markdown: string;
  json: string;
  png: string;
}

/** Writes `tune.md`, `tune.json` and `tune.png` (drawn by a renderer started with `config`) into `dir`. */
export async function writeTuneReport(result: TuneResult, dir: string, config: Config): Promise<TuneReportFiles> {
  const names = { json: 'tune.json', png: 'tune.png', markdown: 'tune.md' };
  const png = await renderFigurePng(tuneFigure(result), config);
  const [markdown, json, chart] = writeResultFiles(dir, [
    { name: names.markdown, text: formatTuneMarkdown(result, names) },
    { name: names.json, text: recordJson(result) },
    { name: names.png, text: png },
  ]);
  return { markdown: markdown!, json: json!, png: chart! };
}
