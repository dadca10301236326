/** The help of `echarts-farm render` for reports, and how its arguments ask for one (no heavy imports). */
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { CHART_RENDER_FLAGS } from './command-flags.js';

/** The flags a report adds to those of a chart. */
export const REPORT_FLAGS = {
  columns: { type: 'string' },
  rows: { type: 'string' },
  titles: { type: 'boolean', default: false },
  partial: { type: 'boolean', default: false },
} as const;

export const REPORT_USAGE = `usage: echarts-farm render a.json b.json … -o report.pdf|report.zip
  [--type pdf|png|jpeg|webp|svg] [--width 600] [--height 400] [--dpr 1] [--theme name]
  [--background color|transparent] [--columns 1] [--rows 1] [--titles] [--partial] [--allow-functions]
Several option files make one report: a PDF with a page per chart (or --columns × --rows charts per
A4 page), or a ZIP with an image per chart and manifest.json. --titles writes each file's name above
its chart. Without --partial the first failing chart stops the report; with it the report says which
failed and the command exits 1. Each chart takes the flags of a single render; in a PDF a chart is a
vector page unless --type png or jpeg.`;

/** True when the arguments ask for a report: more than one option file, or a .zip output. */
export function asksForReport(args: string[]): boolean {
  // Every flag that takes a value is declared, so that value is never taken for an option file.
  const options = { ...CHART_RENDER_FLAGS, ...REPORT_FLAGS, script: { type: 'boolean' } } as const;
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: false, options });
  const output = typeof values.output === 'string' ? values.output : '';
  return positionals.length > 1 || extname(output).toLowerCase() === '.zip';
}
