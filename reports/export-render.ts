/**
 * Renders the charts of an export one after another. Without `partial` the first failure ends the
 * export with that chart's error (its index added); with it every chart is tried and each failure
 * is kept for the file to report.
 */
import { FarmError, isFarmError, type ErrorType } from '../errors/farm-error.js';
import type { RenderResult } from '../renderer/chart-renderer.js';
import type { RenderRequest } from '../renderer/render-request.js';
import type { ExportChart, ExportJob } from './export-job.js';

export interface ChartFailure {
  type: ErrorType;
  reason: string;
  message: string;
}

export type ChartOutcome =
  | { chart: ExportChart; status: 'completed'; result: RenderResult }
  | { chart: ExportChart; status: 'failed'; error: ChartFailure };

export type RenderOne = (request: RenderRequest) => Promise<RenderResult>;

function failureOf(error: unknown): ChartFailure {
  if (isFarmError(error)) return { type: error.type, reason: error.reason, message: error.message };
  // Anything unknown is the farm's fault; its message may hold internals, so it is not passed on.
  return { type: 'SYSTEM_ERROR', reason: 'INTERNAL', message: 'the chart failed inside the farm' };
}

/** Refusals of the farm itself, which the next chart would meet too: they end even a partial export. */
const FARM_REFUSALS: ReadonlySet<string> = new Set(['OVERLOADED', 'POOL_CLOSED', 'SHUTTING_DOWN']);

function refusesEveryChart(error: unknown): boolean {
  return isFarmError(error) && FARM_REFUSALS.has(error.reason);
}

function withIndex(error: unknown, index: number): unknown {
  if (!isFarmError(error)) return error;
  return new FarmError({
    reason: error.reason,
    retryable: error.retryable,
    message: `charts[${index}]: ${error.message}`,
    details: { ...error.details, index },
    cause: error,
  });
}

/** Renders every chart of `job` with `render`; `signal` stops between charts (a cancelled task). */
export async function renderExportCharts(job: ExportJob, render: RenderOne, signal?: AbortSignal): Promise<ChartOutcome[]> {
  const outcomes: ChartOutcome[] = [];
  for (const chart of job.charts) {
    signal?.throwIfAborted();
    try {
      outcomes.push({ chart, status: 'completed', result: await render(chart.render) });
    } catch (error) {
      if (!job.partial || refusesEveryChart(error)) throw withIndex(error, chart.index);
      outcomes.push({ chart, status: 'failed', error: failureOf(error) });
    }
  }
  return outcomes;
}
