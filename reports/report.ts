/** An export from start to end: render its charts, then compose its file. */
import type { ExportJob } from './export-job.js';
import { renderExportCharts, type RenderOne } from './export-render.js';
import { composeReport, type ReportFile } from './report-file.js';

export async function renderReport(job: ExportJob, render: RenderOne, signal?: AbortSignal): Promise<ReportFile> {
  return composeReport(job, await renderExportCharts(job, render, signal));
}
