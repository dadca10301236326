/**
 * `POST /api/charts/generate`: queues a task (the default) or, with `async=false`, renders in the
 * request and answers the image.
 */
import { systemError, validationError } from '../../errors/farm-error.js';
import type { AppDeps, FarmContext, FarmRouter } from '../app-deps.js';
import { parseGenerateRequest, requestPolicyOf } from '../chart-requests.js';
import { sendData } from '../envelope.js';
import { replyWithDataUrl, replyWithImage } from '../image-reply.js';
import { jsonBody } from '../middleware/json-body.js';
import { renderWithRetry } from '../render-with-retry.js';
import { submissionPolicy, submitTask } from '../task-submission.js';
import { taskView } from '../../tasks/task-view.js';

/** The answer when a queued mode is asked of an instance without a task system. */
export const noTaskSystem = () =>
  systemError('NOT_IMPLEMENTED', 'this instance runs no task queue; send async=false (query or body) to render synchronously', {
    retryable: false,
    details: { field: 'async' },
  });

/** The Idempotency-Key header, which the body's idempotencyKey overrides. */
function idempotencyHeader(ctx: FarmContext): string | undefined {
  const header = ctx.get('idempotency-key').trim();
  if (header.length > 256) throw validationError('INVALID_REQUEST', 'Idempotency-Key is longer than 256 characters', { field: 'Idempotency-Key' });
  return header === '' ? undefined : header;
}

/** Adds the chart generation route to `router`. */
export function addChartRoutes(router: FarmRouter, deps: AppDeps): void {
  const policy = requestPolicyOf(deps.config);
  const submission = submissionPolicy(deps.config);
  router.post('/api/charts/generate', jsonBody(deps.config.maxBodyBytes), async (ctx) => {
    // Validated in full before the mode is looked at, so a bad body gets the same answer in both modes.
    const request = parseGenerateRequest(ctx.state.body, ctx.query, policy);
    ctx.state.summary = `${request.render.type} ${request.render.width}×${request.render.height}`;
    if (request.sync) {
      const result = await renderWithRetry(deps.renderer, request.render, ctx.state.logger);
      if (request.base64) replyWithDataUrl(ctx, result);
      else replyWithImage(ctx, result);
      return;
    }
    if (!deps.tasks) throw noTaskSystem();
    const { task, existing } = await submitTask(
      deps.tasks,
      ctx.state.owner,
      request.render,
      { ...request.task, idempotencyKey: request.task.idempotencyKey ?? idempotencyHeader(ctx) },
      submission,
    );
    ctx.state.summary += ` task=${task.taskId}${existing ? ' (existing)' : ''}`;
    sendData(ctx, { ...taskView(task), existing }, { status: existing ? 200 : 202, msg: existing ? 'existing task' : 'queued' });
  });
}
