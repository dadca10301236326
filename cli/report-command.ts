/**
 * `echarts-farm render a.json b.json … -o report.pdf`: many charts in one PDF or ZIP, the same report
 * as `POST /api/charts/export`. Each file is checked as a single render before any is drawn.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config/settings.js';
import { validationError } from '../errors/farm-error.js';
import { parseRenderRequest } from '../renderer/render-request.js';
import { EXPORT_FORMATS, parseExportJob, type ExportFormat } from '../reports/export-job.js';
import { renderReport } from '../reports/report.js';
import { CHART_RENDER_FLAGS, chartRenderFields, numberFlag } from './command-flags.js';
import { startCommandRenderer } from './command-renderer.js';
import { REPORT_FLAGS, REPORT_USAGE } from './report-usage.js';

function reportFormat(output: string | undefined): ExportFormat {
  const format = extname(output ?? '').slice(1).toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw validationError('INVALID_REQUEST', `a report of several charts goes to a .pdf or .zip file (-o)\n${REPORT_USAGE}`);
  }
  return format as ExportFormat;
}

async function readOption(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  if (extname(file).toLowerCase() === '.js') return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw validationError('INVALID_JSON', `${file} is not valid JSON (${(error as Error).message})`);
  }
}

export async function reportCommand(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CHART_RENDER_FLAGS,
      ...REPORT_FLAGS,
    },
  });
  const format = reportFormat(values.output);
  if (positionals.length === 0) throw validationError('INVALID_REQUEST', `name the option files of the report\n${REPORT_USAGE}`);
  const allowFunctions = config.allowFunctions || values['allow-functions'];
  const charts = await Promise.all(
    positionals.map(async (file) => ({
      option: await readOption(file),
      ...(values.titles ? { title: basename(file, extname(file)) } : {}),
      ...chartRenderFields(values),
    })),
  );
  const layout = { columns: numberFlag(values.columns, 'columns'), rows: numberFlag(values.rows, 'rows') };
  const job = parseExportJob({ format, charts, layout, partial: values.partial }, (chart) => parseRenderRequest(chart, { allowFunctions }), Number.MAX_SAFE_INTEGER);

  const renderer = await startCommandRenderer(config, allowFunctions);
  try {
    const report = await renderReport(job, (request) => renderer.render(request));
    await writeFile(values.output!, report.bytes);
    const { completed, failed, charts: outcomes } = report.manifest;
    process.stderr.write(`${values.output}: ${format} of ${completed} charts, ${report.bytes.length} bytes\n`);
    for (const chart of outcomes.filter((outcome) => outcome.error)) {
      process.stderr.write(`${positionals[chart.index]}: ${chart.error!.reason}: ${chart.error!.message}\n`);
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await renderer.close();
  }
}
