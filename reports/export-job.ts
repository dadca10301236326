/**
 * A report of many charts in one file: what it holds, how its pages are laid out, and the one place
 * that turns a request body into a job. Each chart goes through the single-chart parser the caller
 * hands in (the HTTP gate or the CLI's), so every chart meets the limits of a single render.
 */
import { z } from 'zod';
import { FarmError, isFarmError, validationError } from '../errors/farm-error.js';
import { describeIssues, type RenderRequest } from '../renderer/render-request.js';

export const EXPORT_FORMATS = ['pdf', 'zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Chart types a PDF report can hold: vector pages, or PNG and JPEG images. */
const PDF_CHART_TYPES: ReadonlySet<string> = new Set(['pdf', 'png', 'jpeg']);

/** Longest chart title, in characters. */
export const MAX_TITLE_LENGTH = 200;

/** How a PDF report places charts on its pages. */
export const exportLayoutSchema = z.object({
  /** Charts side by side on one page; 1 with `rows` 1 gives each chart a page of its own size. */
  columns: z.number().int().min(1).max(6).default(1),
  rows: z.number().int().min(1).max(6).default(1),
  /** Page size in CSS pixels for a grid; default A4 landscape (1123 × 794). */
  pageWidth: z.number().int().min(100).max(8192).optional(),
  pageHeight: z.number().int().min(100).max(8192).optional(),
});
export type ExportLayout = z.infer<typeof exportLayoutSchema>;

/** The fields of an export body besides its charts. */
export const exportFieldsSchema = z.object({
  charts: z.array(z.unknown()).min(1, 'must hold at least one chart'),
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }),
  layout: exportLayoutSchema.default({ columns: 1, rows: 1 }),
  /** True: a failed chart is reported in the file instead of failing the whole export. */
  partial: z.boolean({ error: 'must be true or false' }).default(false),
});

/** The per-chart fields an export adds to a single render request. */
const chartExtrasSchema = z.object({ title: z.string().max(MAX_TITLE_LENGTH).optional() });

export interface ExportChart {
  /** Position in the request, from 0. */
  index: number;
  title?: string;
  render: RenderRequest;
}

export interface ExportJob {
  format: ExportFormat;
  layout: ExportLayout;
  partial: boolean;
  charts: ExportChart[];
}

/** Parses one chart as a single render request; throws a FarmError for bad input. */
export type ChartParser = (chart: Record<string, unknown>) => RenderRequest;

function invalid(error: z.ZodError, prefix = ''): never {
  const issues = describeIssues(error).map((issue) => ({ ...issue, field: `${prefix}${issue.field}` }));
  throw validationError('INVALID_REQUEST', issues.map((issue) => `${issue.field} ${issue.problem}`).join('; '), { issues });
}

/** Gives a chart without a type the format's natural one: a vector page in a PDF, a PNG in a ZIP. */
function withDefaultType(chart: Record<string, unknown>, format: ExportFormat): Record<string, unknown> {
  return chart.type === undefined && format === 'pdf' ? { ...chart, type: 'pdf' } : chart;
}

function parseChart(raw: unknown, index: number, format: ExportFormat, parse: ChartParser): ExportChart {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw validationError('INVALID_REQUEST', `charts[${index}] must be a render request object`, { index, field: `charts.${index}` });
  }
  const chart = raw as Record<string, unknown>;
  const extras = chartExtrasSchema.safeParse(chart);
  if (!extras.success) invalid(extras.error, `charts.${index}.`);
  try {
    // The chart's own fields (its title) are not the render request's: the request gate refuses fields it does not know.
    const { title: _title, ...renderFields } = chart;
    const render = parse(withDefaultType(renderFields, format));
    if (format === 'pdf' && !PDF_CHART_TYPES.has(render.type)) {
      throw validationError('INVALID_REQUEST', `type ${render.type} cannot go into a PDF report: use pdf (vector), png or jpeg`, { field: 'type' });
    }
    return { index, ...(extras.data.title !== undefined ? { title: extras.data.title } : {}), render };
  } catch (error) {
    if (!isFarmError(error)) throw error;
    throw new FarmError({ reason: error.reason, message: `charts[${index}]: ${error.message}`, details: { ...error.details, index }, retryable: error.retryable });
  }
}

/** Validates an export body; every chart is checked before anything is rendered or queued. */
export function parseExportJob(body: Record<string, unknown>, parse: ChartParser, maxCharts: number): ExportJob {
  const fields = exportFieldsSchema.safeParse(body);
  if (!fields.success) invalid(fields.error);
  const { charts, format, layout, partial } = fields.data;
  if (charts.length > maxCharts) {
    throw validationError('INVALID_REQUEST', `an export holds at most ${maxCharts} charts (BATCH_MAX_CHARTS), got ${charts.length}`, {
      field: 'charts',
    });
  }
  return { format, layout, partial, charts: charts.map((chart, index) => parseChart(chart, index, format, parse)) };
}
