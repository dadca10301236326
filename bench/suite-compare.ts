/** `--compare`: the change of every figure between two suite records (cells matched by section, contender and concurrency). */
import { readFileSync } from 'node:fs';
import { formatTextTable } from '../measure/table-format.js';
import type { SuiteCell, SuiteRecord } from './suite-record-shape.js';

const MIB = 1024 * 1024;

/** The figures compared, and whether more is better (for the sign of the change). */
const FIGURES: readonly { name: string; of: (cell: SuiteCell) => number | undefined; higherIsBetter: boolean }[] = [
  { name: 'renders/s', of: (cell) => cell.rendersPerSecond, higherIsBetter: true },
  { name: '× limit', of: (cell) => cell.ratioToLimit, higherIsBetter: true },
  { name: 'p50 ms', of: (cell) => cell.latency.p50Ms, higherIsBetter: false },
  { name: 'p95 ms', of: (cell) => cell.latency.p95Ms, higherIsBetter: false },
  { name: 'p99 ms', of: (cell) => cell.latency.p99Ms, higherIsBetter: false },
  { name: 'CPU s/render', of: (cell) => cell.cpuSecondsPerRender, higherIsBetter: false },
  { name: 'steady MiB', of: (cell) => cell.memory.steadyBytes / MIB, higherIsBetter: false },
  { name: 'peak MiB', of: (cell) => cell.memory.peakBytes / MIB, higherIsBetter: false },
];

export function readSuiteRecord(path: string): SuiteRecord {
  const record = JSON.parse(readFileSync(path, 'utf8')) as Partial<SuiteRecord>;
  if (record.benchmark !== 'suite') throw new Error(`${path} is not a record of \`npm run bench\` (benchmark: ${record.benchmark})`);
  return record as SuiteRecord;
}

function cellsByKey(record: SuiteRecord): Map<string, SuiteCell> {
  const cells = new Map<string, SuiteCell>();
  for (const [section, figures] of Object.entries(record.sections)) {
    for (const cell of figures.cells) cells.set(`${section} · ${cell.targetId} @ ${cell.concurrency}`, cell);
  }
  return cells;
}

function formatValue(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(3);
}

/** `+12.3% better`, `-4.0% worse`; blank when either side has no figure. */
function change(before: number | undefined, after: number | undefined, higherIsBetter: boolean): string {
  if (before === undefined || after === undefined || Number.isNaN(before) || Number.isNaN(after) || before === 0) return '';
  const percent = ((after - before) / Math.abs(before)) * 100;
  const better = higherIsBetter ? percent > 0 : percent < 0;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%${Math.abs(percent) < 0.05 ? '' : better ? ' better' : ' worse'}`;
}

export function formatComparison(before: SuiteRecord, after: SuiteRecord, beforeName: string, afterName: string): string {
  const old = cellsByKey(before);
  const rows: string[][] = [];
  for (const [key, cell] of cellsByKey(after)) {
    const previous = old.get(key);
    for (const figure of FIGURES) {
      const [was, is] = [previous ? figure.of(previous) : undefined, figure.of(cell)];
      if (was === undefined && is === undefined) continue;
      rows.push([key, figure.name, formatValue(was), formatValue(is), change(was, is, figure.higherIsBetter)]);
    }
  }
  const gone = [...old.keys()].filter((key) => !cellsByKey(after).has(key));
  return [
    `Change from ${beforeName} (${before.startedAt}, ${before.settings.plan.mode}) to ${afterName} (${after.startedAt}, ${after.settings.plan.mode}).`,
    'Absolute figures move with the host\'s load: the × limit rows are the ones to trust between runs.',
    '',
    ...formatTextTable(['cell', 'figure', 'before', 'after', 'change'], rows, 2),
    ...(gone.length > 0 ? ['', `Only in the earlier record: ${gone.join('; ')}`] : []),
  ].join('\n');
}
