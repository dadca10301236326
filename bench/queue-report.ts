/**
 * What a queue benchmark run found: a JSON record per day, a markdown page with the latest run, and
 * the same tables on stdout. Machine, tables and file writing are shared with the suite
 * (measure/, record-header.ts).
 */
import type { BenchChart } from './charts.js';
import { formatDuration } from '../measure/progress-line.js';
import type { BackendId } from './queue-farms.js';
import type { AcceptSlice, LatencyPair, LatencyRun, QueueRunResult, QueueSchedule } from './queue-run.js';
import { machineLine, type Machine } from '../measure/machine.js';
import { recordJson, writeResultFiles } from '../measure/result-files.js';
import { formatMarkdownTable, formatMs, formatRate, formatTextTable } from '../measure/table-format.js';
import { farmLine, recordHeader, resultsLocation, type FarmSource } from './record-header.js';
import { percentile, quartiles, summarizeLatencies, type LatencySummary } from '../measure/latency-stats.js';

export interface QueueVersions {
  farm: FarmSource;
  node: string;
  /** From the server's INFO. */
  redis: { version: string; mode: string; os: string };
  /** `browser.version()` of the renderer's browser. */
  chromium: string;
  chromiumPath: string;
  echarts: string;
  bullmq: string;
  ioredis: string;
  puppeteer: string;
}

export interface QueueSettings {
  mode: 'quick' | 'full';
  schedule: QueueSchedule;
  chart: { name: string; about: string; type: 'png'; width: number; height: number; bodyBytes: number };
  /** The Redis URL (no credentials) and the run's key prefix, deleted at the end. */
  redis: { url: string; prefix: string };
  client: string;
  logging: string;
  renderer: string;
  queue: string;
}

/** One backend at one concurrency, over all its accept slices. */
export interface AcceptFigures {
  slices: number;
  accepted: number;
  /** Accepted tasks over the measured wall time of the slices. */
  acceptedPerSecond: number;
  /** Each slice's rate, in run order. */
  sliceRates: number[];
  latency: LatencySummary;
  refused: Record<string, number>;
  failed: number;
  errors: string[];
  /** Slices after which the queue counted other than the client's 202s as pending. */
  pendingMismatches: { round: number; pending: number; accepted: number }[];
}

export interface AcceptRow {
  concurrency: number;
  memory: AcceptFigures;
  redis: AcceptFigures;
  /** Memory's accepted/s over Redis's. */
  memoryOverRedis: number;
  /** The same ratio per round: how much it moved with the load. */
  sliceRatio: { p25: number; p50: number; p75: number };
}

export interface LatencyFigures {
  backend: BackendId;
  pairs: number;
  task: LatencySummary;
  direct: LatencySummary;
  /** Task percentile minus direct percentile. */
  addedP50Ms: number;
  addedP95Ms: number;
  /** Quartiles of task minus direct within each pair (neighbours in time, so the same load). */
  pairAddedMs: { p25: number; p50: number; p75: number };
  /** Median of each step of a task. */
  medianStepsMs: Record<keyof LatencyPair['steps'], number>;
  failures: number;
  errors: string[];
  pixelDiff: number | undefined;
  /** Direct renders that never saw `finished`. */
  cappedDirectRenders: number;
  latenciesMs: { task: number[]; direct: number[] };
}

export interface QueueReport {
  benchmark: 'queue-throughput';
  date: string;
  startedAt: string;
  wallMs: number;
  machine: Machine;
  versions: QueueVersions;
  settings: QueueSettings;
  rounds: number;
  measuredMs: number;
  loadAverageByRound: number[];
  accept: AcceptRow[];
  latency: LatencyFigures[];
}

function acceptFigures(slices: AcceptSlice[]): AcceptFigures {
  const refused: Record<string, number> = {};
  for (const slice of slices) for (const [status, count] of Object.entries(slice.refused)) refused[status] = (refused[status] ?? 0) + count;
  const accepted = slices.reduce((total, slice) => total + slice.accepted, 0);
  const wallMs = slices.reduce((total, slice) => total + slice.wallMs, 0);
  return {
    slices: slices.length,
    accepted,
    acceptedPerSecond: wallMs === 0 ? 0 : (accepted * 1000) / wallMs,
    sliceRates: slices.map((slice) => slice.acceptedPerSecond),
    latency: summarizeLatencies(slices.flatMap((slice) => slice.latenciesMs)),
    refused,
    failed: slices.reduce((total, slice) => total + slice.failed, 0),
    errors: [...new Set(slices.flatMap((slice) => slice.errors))].slice(0, 5),
    pendingMismatches: slices
      .filter((slice) => slice.pendingAfter !== slice.acceptedInAll)
      .map((slice) => ({ round: slice.round, pending: slice.pendingAfter, accepted: slice.acceptedInAll })),
  };
}

function acceptRow(slices: AcceptSlice[], concurrency: number): AcceptRow {
  const of = (backend: BackendId) => slices.filter((slice) => slice.concurrency === concurrency && slice.backend === backend);
  const memory = acceptFigures(of('memory'));
  const redis = acceptFigures(of('redis'));
  const perRound = of('memory').flatMap((slice) => {
    const other = of('redis').find((candidate) => candidate.round === slice.round);
    return other && other.acceptedPerSecond > 0 ? [slice.acceptedPerSecond / other.acceptedPerSecond] : [];
  });
  return { concurrency, memory, redis, memoryOverRedis: memory.acceptedPerSecond / redis.acceptedPerSecond, sliceRatio: quartiles(perRound) };
}

function latencyFigures(backend: BackendId, run: LatencyRun): LatencyFigures {
  const task = summarizeLatencies(run.pairs.map((pair) => pair.taskMs));
  const direct = summarizeLatencies(run.pairs.map((pair) => pair.directMs));
  const median = (step: keyof LatencyPair['steps']) =>
    percentile([...run.pairs.map((pair) => pair.steps[step])].filter((value) => !Number.isNaN(value)).sort((a, b) => a - b), 50);
  const round1 = (values: number[]) => values.map((value) => Math.round(value * 10) / 10);
  return {
    backend,
    pairs: run.pairs.length,
    task,
    direct,
    addedP50Ms: task.p50Ms - direct.p50Ms,
    addedP95Ms: task.p95Ms - direct.p95Ms,
    pairAddedMs: quartiles(run.pairs.map((pair) => pair.taskMs - pair.directMs)),
    medianStepsMs: {
      submitMs: median('submitMs'),
      pickupMs: median('pickupMs'),
      renderMs: median('renderMs'),
      storeMs: median('storeMs'),
      workMs: median('workMs'),
      notifyMs: median('notifyMs'),
    },
    failures: run.failures,
    errors: run.errors,
    pixelDiff: run.pixelDiff,
    cappedDirectRenders: run.pairs.filter((pair) => pair.directSettledBy === 'cap').length,
    latenciesMs: { task: round1(run.pairs.map((pair) => pair.taskMs)), direct: round1(run.pairs.map((pair) => pair.directMs)) },
  };
}

export interface QueueReportInput {
  startedAt: Date;
  machine: Machine;
  versions: QueueVersions;
  settings: QueueSettings;
  run: QueueRunResult;
}

export function buildQueueReport(input: QueueReportInput): QueueReport {
  const { run } = input;
  return {
    ...recordHeader('queue-throughput', input, run),
    loadAverageByRound: run.loadAverageByRound,
    accept: input.settings.schedule.concurrencies.map((concurrency) => acceptRow(run.accept, concurrency)),
    latency: (['memory', 'redis'] as const).map((backend) => latencyFigures(backend, run.latency[backend])),
  };
}

/** A chart description for the settings, with the size of the body the clients send. */
export function describeChart(chart: BenchChart, size: { width: number; height: number }): QueueSettings['chart'] {
  const bodyBytes = Buffer.byteLength(JSON.stringify({ type: 'png', ...size, option: chart.option }));
  return { name: chart.name, about: chart.about, type: 'png', ...size, bodyBytes };
}

/** Accept latencies are often below a millisecond: two decimals there. */
function smallMs(value: number): string {
  return !Number.isNaN(value) && value < 10 ? value.toFixed(2) : formatMs(value);
}

function signedMs(value: number): string {
  return `${value >= 0 ? '+' : '−'}${formatMs(Math.abs(value))}`;
}

const ACCEPT_HEADER = ['in flight', 'backend', 'accepted', 'accepted/s', 'p50 ms', 'p95 ms', 'p99 ms', 'memory/redis', 'per-round p25–p75'];

function acceptRows(report: QueueReport): string[][] {
  return report.accept.flatMap((row) => {
    const line = (backend: BackendId, figures: AcceptFigures, first: boolean) => [
      first ? String(row.concurrency) : '',
      backend,
      String(figures.accepted),
      formatRate(figures.acceptedPerSecond),
      smallMs(figures.latency.p50Ms),
      smallMs(figures.latency.p95Ms),
      smallMs(figures.latency.p99Ms),
      first ? `×${row.memoryOverRedis.toFixed(2)}` : '',
      first ? `×${row.sliceRatio.p25.toFixed(2)}–${row.sliceRatio.p75.toFixed(2)}` : '',
    ];
    return [line('memory', row.memory, true), line('redis', row.redis, false)];
  });
}

const LATENCY_HEADER = ['backend', 'path', 'samples', 'p50 ms', 'p95 ms', 'added p50 ms', 'added p95 ms', 'per-pair added p50 (p25–p75)'];

function latencyRows(report: QueueReport): string[][] {
  return report.latency.flatMap((figures) => [
    [
      figures.backend,
      'task: submit → completed event',
      String(figures.pairs),
      formatMs(figures.task.p50Ms),
      formatMs(figures.task.p95Ms),
      signedMs(figures.addedP50Ms),
      signedMs(figures.addedP95Ms),
      `${signedMs(figures.pairAddedMs.p50)} (${signedMs(figures.pairAddedMs.p25)}–${signedMs(figures.pairAddedMs.p75)})`,
    ],
    ['', 'direct renderer.render', String(figures.pairs), formatMs(figures.direct.p50Ms), formatMs(figures.direct.p95Ms), '', '', ''],
  ]);
}

function stepsLine(report: QueueReport): string {
  const parts = report.latency.map((figures) => {
    const steps = figures.medianStepsMs;
    return (
      `${figures.backend}: submit ${formatMs(steps.submitMs)}, pickup ${formatMs(steps.pickupMs)}, render ${formatMs(steps.renderMs)}, ` +
      `store ${formatMs(steps.storeMs)}, work ${formatMs(steps.workMs)}, notify ${formatMs(steps.notifyMs)}`
    );
  });
  return (
    `Where a task's time goes (medians, ms; pickup, work and notify from the record's millisecond timestamps): ${parts.join('; ')}. ` +
    'submit = POST to 202; pickup = createdAt → startedAt; work = startedAt → completedAt (render + store + bookkeeping); ' +
    'notify = completedAt → the client read the final event.'
  );
}

function runLine(report: QueueReport): string {
  const { schedule } = report.settings;
  return (
    `${report.rounds} rounds in ${formatDuration(report.measuredMs)} measured (${formatDuration(report.wallMs)} in all, ${report.settings.mode} mode); ` +
    `each round: per number in flight (${schedule.concurrencies.join(', ')}), one ${(schedule.acceptSliceMs / 1000).toFixed(1)} s accept slice per backend ` +
    `on a fresh queue with no worker; then ${schedule.latencyPairsPerSlice} task/direct pairs per backend; the backend that goes first alternates; ` +
    `${schedule.warmupRounds} warm-up round(s) not counted.`
  );
}

function loadLine(report: QueueReport): string {
  const loads = [...report.loadAverageByRound].sort((a, b) => a - b);
  if (loads.length === 0) return 'Load average by round: not sampled.';
  return `1-min load average at the start of the rounds: ${loads[0]!.toFixed(2)}–${loads.at(-1)!.toFixed(2)} (median ${percentile(loads, 50).toFixed(2)}).`;
}

function versionLines(report: QueueReport): string[] {
  const { versions } = report;
  return [
    machineLine(report.machine),
    `Versions: Node ${versions.node}, Redis ${versions.redis.version} (${versions.redis.mode}), ${versions.chromium} (${versions.chromiumPath}), ` +
      `ECharts ${versions.echarts}, BullMQ ${versions.bullmq}, ioredis ${versions.ioredis}, puppeteer ${versions.puppeteer}.`,
    farmLine(versions.farm),
  ];
}

function settingLines(report: QueueReport): string[] {
  const { settings } = report;
  return [
    `Chart: \`${settings.chart.name}\` (${settings.chart.about}), ${settings.chart.width}×${settings.chart.height} PNG; the generate body is ${settings.chart.bodyBytes} bytes.`,
    `Client: ${settings.client}`,
    `Queue and API: ${settings.queue} ${settings.logging}`,
    `Renderer: ${settings.renderer}`,
  ];
}

/** Things a reader must not miss: refusals, failures, counts that disagree, images that differ. */
function warnings(report: QueueReport): string[] {
  const found: string[] = [];
  for (const row of report.accept) {
    for (const backend of ['memory', 'redis'] as const) {
      const figures = row[backend];
      const where = `${backend} at ${row.concurrency} in flight`;
      const refused = Object.entries(figures.refused);
      if (refused.length > 0) found.push(`${where}: answers other than 202: ${refused.map(([status, count]) => `${count}× ${status}`).join(', ')}`);
      if (figures.failed > 0) found.push(`${where}: ${figures.failed} requests failed (${figures.errors.join('; ')})`);
      if (figures.pendingMismatches.length > 0) {
        const first = figures.pendingMismatches[0]!;
        found.push(
          `${where}: after ${figures.pendingMismatches.length} slice(s) the queue's pending count differed from the 202s the client saw ` +
            `(first: ${first.pending} pending for ${first.accepted} accepted)`,
        );
      }
    }
  }
  for (const figures of report.latency) {
    if (figures.failures > 0) found.push(`${figures.backend}: ${figures.failures} tasks did not complete (${figures.errors.join('; ')})`);
    if (figures.pixelDiff !== 0) found.push(`${figures.backend}: the task's image and the direct render differ in ${figures.pixelDiff ?? 'unknown'} pixels`);
    if (figures.cappedDirectRenders > 0) found.push(`${figures.backend}: ${figures.cappedDirectRenders} direct renders never saw \`finished\``);
  }
  return found;
}

export function formatQueueConsole(report: QueueReport): string {
  return [
    `queue-throughput, ${report.date}`,
    runLine(report),
    '',
    'Tasks accepted by POST /api/charts/generate (no worker; accept latency from sending the request to reading the answer):',
    ...formatTextTable(ACCEPT_HEADER, acceptRows(report), 2),
    '',
    'Latency a task adds over a direct render (one worker, one page; the same chart):',
    ...formatTextTable(LATENCY_HEADER, latencyRows(report), 2),
    '',
    stepsLine(report),
    loadLine(report),
    ...versionLines(report),
    ...warnings(report).map((warning) => `WARNING ${warning}`),
  ].join('\n');
}

export function formatQueueMarkdown(report: QueueReport, jsonName: string, readme: string): string {
  return [
    `# Task queue: accept rate and added latency (${report.date})`,
    '',
    `Latest run of \`npm run bench:queue\`: the memory and Redis backends side by side. How to read it: ` +
      `[${readme}](${readme}). Full record: [${jsonName}](${jsonName}).`,
    '',
    '## Tasks accepted per second by the API',
    '',
    '`POST /api/charts/generate` over HTTP with no worker, so every task stays pending; accept latency from sending the request to reading the answer.',
    '',
    ...formatMarkdownTable(ACCEPT_HEADER, acceptRows(report), 2),
    '',
    '## Latency a task adds over a direct render',
    '',
    'One worker on one page. A task: POST, then its event stream until `completed`. A direct render: `renderer.render` of the same chart on the same page, next to it in time.',
    '',
    ...formatMarkdownTable(LATENCY_HEADER, latencyRows(report), 2),
    '',
    `- ${stepsLine(report)}`,
    `- ${runLine(report)}`,
    `- ${loadLine(report)}`,
    ...versionLines(report).map((line) => `- ${line}`),
    ...settingLines(report).map((line) => `- ${line}`),
    ...warnings(report).map((warning) => `- **Warning:** ${warning}`),
    '',
  ].join('\n');
}

/** Writes `queue-<date>.json` and `queue.md` (quick runs: under `quick/`, ignored by git). */
export function writeQueueResults(report: QueueReport, benchDir: string): { json: string; markdown: string } {
  const { dir, readme } = resultsLocation(benchDir, report.settings.mode);
  const jsonName = `queue-${report.date}.json`;
  const [json, markdown] = writeResultFiles(dir, [
    { name: jsonName, text: recordJson(report) },
    { name: 'queue.md', text: formatQueueMarkdown(report, jsonName, readme) },
  ]);
  return { json: json!, markdown: markdown! };
}
