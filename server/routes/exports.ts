/**
 * `POST /api/charts/export`: many charts in one PDF or ZIP. Queued as one task by default; with
 * `async=false` the charts are rendered in the request and the file is the answer.
 */
import type { AppDeps, FarmRouter } from '../app-deps.js';
import { sendData } from '../envelope.js';
import { parseExportRequest } from '../export-requests.js';
import { jsonBody } from '../middleware/json-body.js';
import { renderWithRetry } from '../render-with-retry.js';
import { submissionPolicy, submitTask } from '../task-submission.js';
import { renderReport } from '../../reports/report.js';
import { taskView } from '../../tasks/task-view.js';
import { noTaskSystem } from './charts.js';

/** Adds the export route to `router`. */
export function addExportRoute(router: FarmRouter, deps: AppDeps): void {
  const policy = { allowFunctions: deps.config.allowFunctions };
  router.post('/api/charts/export', jsonBody(deps.config.maxBodyBytes), async (ctx) => {
    const request = parseExportRequest(ctx.state.body, ctx.query, policy, deps.config.batchMaxCharts);
    const { job } = request;
    if (request.sync) {
      const report = await renderReport(job, (chart) => renderWithRetry(deps.renderer, chart, ctx.state.logger));
      ctx.state.logger.info({ format: job.format, charts: job.charts.length, failed: report.manifest.failed }, 'export rendered');
      if (deps.renderer) ctx.set('X-Render-Fingerprint', deps.renderer.fingerprint.hash);
      ctx.set('X-Export-Charts', String(report.manifest.charts.length));
      ctx.set('X-Export-Failed', report.manifest.charts.filter((chart) => chart.status === 'failed').map((chart) => chart.index).join(','));
      ctx.set('Content-Disposition', `attachment; filename="report.${report.extension}"`);
      ctx.status = 200;
      ctx.type = report.contentType;
      ctx.body = report.bytes;
      return;
    }
    if (!deps.tasks) throw noTaskSystem();
    const { task, existing } = await submitTask(deps.tasks, ctx.state.owner, job.charts[0]!.render, request.task, submissionPolicy(deps.config), job);
    ctx.state.logger.info({ taskId: task.taskId, existing, charts: job.charts.length }, existing ? 'idempotent repeat of an export' : 'export queued');
    sendData(ctx, { ...taskView(task), charts: job.charts.length, existing }, { status: existing ? 200 : 202, msg: existing ? 'existing task' : 'queued' });
  });
}
