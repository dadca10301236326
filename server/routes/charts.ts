/**
 * `POST /api/charts/generate`. With `async=false` it renders in the request and answers the image;
 * the task system that serves the asynchronous default is not built yet, so that mode answers 501.
 */
import type { AppDeps, FarmRouter } from '../app-deps.js';
import { parseGenerateRequest } from '../chart-requests.js';
import { replyWithDataUrl, replyWithImage } from '../image-reply.js';
import { jsonBody } from '../middleware/json-body.js';
import { systemError } from '../../errors/farm-error.js';
import { renderWithRetry } from '../render-with-retry.js';

const tasksNotBuilt = () =>
  systemError('NOT_IMPLEMENTED', 'asynchronous tasks are not available yet; send async=false (query or body) to render synchronously', {
    status: 501,
    retryable: false,
    details: { field: 'async' },
  });

/** Adds the chart generation route to `router`. */
export function addChartRoutes(router: FarmRouter, deps: AppDeps): void {
  const policy = { allowFunctions: deps.config.allowFunctions };
  router.post('/api/charts/generate', jsonBody(deps.config.maxBodyBytes), async (ctx) => {
    // Validated in full before the mode is looked at, so a bad body gets the same answer in both modes.
    const request = parseGenerateRequest(ctx.state.body, ctx.query, policy);
    if (!request.sync) throw tasksNotBuilt();
    const result = await renderWithRetry(deps.renderer, request.render, ctx.state.logger);
    if (request.base64) replyWithDataUrl(ctx, result);
    else replyWithImage(ctx, result);
  });
}
