/** The suite's tables, as rows of text cells: the same rows go to the terminal and to RESULTS.md. */
import { formatMs, formatRate } from '../measure/table-format.js';
import type { QueueFigures } from './queue-latest.js';
import type { SectionRecord, SuiteCell, SuiteRecord, TargetVerdict } from './suite-record-shape.js';

export interface Table {
  header: string[];
  rows: string[][];
  /** Columns from this one on are figures (right-aligned). */
  numericFrom: number;
}

const MIB = 1024 * 1024;

function mib(bytes: number): string {
  return Number.isNaN(bytes) ? '–' : (bytes / MIB).toFixed(0);
}

/** `0.97×`; blank without a figure. */
function ratio(value: number | undefined): string {
  if (value === undefined) return '';
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;
}

/** What a reader must see next to a cell's figures: errors, images that differ. */
function cellMarks(cell: SuiteCell): string {
  const marks = [cell.pixels === 'differ' ? 'PIXELS DIFFER' : '', cell.errors > 0 ? `${cell.errors} errors` : '', cell.cappedRenders > 0 ? `${cell.cappedRenders} capped` : ''];
  return marks.filter((mark) => mark !== '').join(', ');
}

export function sectionTable(section: SectionRecord): Table {
  const hasLimit = section.cells.some((cell) => cell.ratioToLimit !== undefined);
  const header = ['contender', 'in flight', 'renders', 'renders/s', ...(hasLimit ? ['× limit'] : []), 'p50 ms', 'p95 ms', 'p99 ms', 'CPU s/render', 'steady MiB', 'peak MiB', 'marks'];
  const ordered = [...section.cells].sort((a, b) => a.concurrency - b.concurrency);
  const rows = ordered.map((cell) => [
    cell.targetId,
    String(cell.concurrency),
    String(cell.renders),
    formatRate(cell.rendersPerSecond),
    ...(hasLimit ? [ratio(cell.ratioToLimit)] : []),
    formatMs(cell.latency.p50Ms),
    formatMs(cell.latency.p95Ms),
    formatMs(cell.latency.p99Ms),
    Number.isNaN(cell.cpuSecondsPerRender) ? '–' : cell.cpuSecondsPerRender.toFixed(3),
    mib(cell.memory.steadyBytes),
    mib(cell.memory.peakBytes),
    cellMarks(cell),
  ]);
  return { header, rows, numericFrom: 1 };
}

export function targetsTable(targets: readonly TargetVerdict[]): Table {
  const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : 'NOT MET');
  return { header: ['target', 'verdict', 'figure'], rows: targets.map((target) => [target.goal, verdict(target.met), target.figure]), numericFrom: 3 };
}

export function pixelTable(record: SuiteRecord): Table {
  return {
    header: ['contender', 'charts', 'identical to the limit', 'differing (pixels)', 'could not compare'],
    rows: record.pixelCheck.byTarget.map((summary) => [
      summary.targetId,
      String(summary.charts),
      String(summary.identical),
      summary.differing.map((entry) => `${entry.chart} (${entry.pixels})`).join(', '),
      summary.problems.join('; '),
    ]),
    numericFrom: 1,
  };
}

export function queueTable(queue: QueueFigures): Table {
  const added = (backend: 'memory' | 'redis') => queue.added.find((row) => row.backend === backend);
  return {
    header: ['in flight', 'memory accepted/s', 'redis accepted/s'],
    rows: [
      ...queue.accepted.map((row) => [String(row.concurrency), formatRate(row.memory), formatRate(row.redis)]),
      ['added p50/p95 ms', `+${formatMs(added('memory')?.p50Ms ?? Number.NaN)} / +${formatMs(added('memory')?.p95Ms ?? Number.NaN)}`, `+${formatMs(added('redis')?.p50Ms ?? Number.NaN)} / +${formatMs(added('redis')?.p95Ms ?? Number.NaN)}`],
    ],
    numericFrom: 1,
  };
}
