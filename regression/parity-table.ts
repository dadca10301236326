/** The parity report as a plain-text table for a terminal or a CI log. */
import type { ParityEntry, ParityReport } from './parity-check.js';
import { describeSvgDifference } from './svg-diff.js';

const SIDES = { expected: 'browser', actual: 'ssr' };

/** The three attributes that differ in most element pairs: `d 88, ecmeta_series_index 40`. */
function topAttributes(entry: ParityEntry): string {
  return Object.entries(entry.attributeDifferences ?? {})
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, 3)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

function row(entry: ParityEntry): string[] {
  const elements = entry.elements ? `${entry.elements.browser}/${entry.elements.ssr}` : '';
  const where = entry.firstDifference ? describeSvgDifference(entry.firstDifference, SIDES, 40) : (entry.message ?? '');
  return [entry.name, entry.result, elements, entry.differingElements?.toString() ?? '', topAttributes(entry), where];
}

/** Columns padded to their widest cell; the last column runs free. */
export function parityTable(report: ParityReport): string {
  const header = ['chart', 'result', 'elements browser/ssr', 'differing', 'attributes differing most', 'first difference'];
  const rows = [header, ...report.entries.map(row)];
  const widths = header.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  const lines = rows.map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd());
  const { agree, differ, skipped, failed } = report.counts;
  lines.push('', `${report.entries.length} charts: ${agree} agree, ${differ} differ, ${skipped} skipped, ${failed} failed (fingerprint ${report.fingerprint})`);
  return `${lines.join('\n')}\n`;
}
