/** Tables of figures, for a terminal and for markdown. */

/** A rate with three significant digits or so: 32.6, 0.89. */
export function formatRate(value: number): string {
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Milliseconds: whole from 100 up, one decimal below; `–` when there is no figure. */
export function formatMs(value: number): string {
  return Number.isNaN(value) ? '–' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/**
 * A table for a terminal: columns padded to their widest cell, a dashed rule under the header;
 * columns from `numericFrom` on are right-aligned.
 */
export function formatTextTable(header: readonly string[], rows: readonly string[][], numericFrom: number): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column >= numericFrom ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** The same table in markdown, columns from `numericFrom` on right-aligned. */
export function formatMarkdownTable(header: readonly string[], rows: readonly string[][], numericFrom: number): string[] {
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [row(header), row(header.map((_, column) => (column >= numericFrom ? '---:' : '---'))), ...rows.map(row)];
}
