/**
 * The body of `POST /api/charts/export`: the report fields (reports/export-job.ts), the task fields
 * of a generate call, and charts that each pass the generate parser, the one gate every chart meets.
 */
import type { ParsedUrlQuery } from 'node:querystring';
import { z } from 'zod';
import { validationError } from '../errors/farm-error.js';
import { describeIssues, type RequestPolicy } from '../renderer/render-request.js';
import { parseExportJob, type ExportJob } from '../reports/export-job.js';
import { generateExtrasSchema, parseGenerateRequest, queryFlag } from './chart-requests.js';
import type { TaskFields } from './task-submission.js';

/** The fields of an export body besides the report: its mode and the task fields of generate. */
export const exportExtrasSchema = generateExtrasSchema.pick({ async: true, ossPath: true, priority: true, idempotencyKey: true, callbackUrl: true });

export interface ExportRequest {
  job: ExportJob;
  /** True when the client asked for `async=false`. */
  sync: boolean;
  task: TaskFields;
}

/** Validates an export body (and `async` from the query, which wins over the body). */
export function parseExportRequest(body: unknown, query: ParsedUrlQuery, policy: RequestPolicy, maxCharts: number): ExportRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationError('INVALID_REQUEST', 'the request body must be a JSON object with charts and format');
  }
  const fields = body as Record<string, unknown>;
  const job = parseExportJob(fields, (chart) => parseGenerateRequest(chart, {}, policy).render, maxCharts);
  const extras = exportExtrasSchema.safeParse(fields);
  if (!extras.success) {
    const issues = describeIssues(extras.error);
    throw validationError('INVALID_REQUEST', issues.map((issue) => `${issue.field} ${issue.problem}`).join('; '), { issues });
  }
  const { async, ...task } = extras.data;
  return { job, sync: (queryFlag(query, 'async') ?? async) === false, task };
}
