/**
 * A synchronous render for an HTTP request: a failure the renderer marks retryable (a crashed page
 * or browser) is tried once more before the client hears of it, since the pool has replaced the page
 * by then. Bad input and chart failures are not retried: they would fail the same way.
 */
import type { Logger } from 'pino';
import { isFarmError, systemError } from '../errors/farm-error.js';
import type { ChartRenderer, RenderResult } from '../renderer/chart-renderer.js';
import type { RenderRequest } from '../renderer/render-request.js';
import { namedRenderSteps } from '../renderer/render-step-names.js';
import { logSteps, warnIfCapped } from '../renderer/step-log.js';

/** Renders `request`, retrying once on a retryable FarmError. */
export async function renderWithRetry(
  renderer: Pick<ChartRenderer, 'render'> | undefined,
  request: RenderRequest,
  logger: Logger,
): Promise<RenderResult> {
  if (!renderer) {
    throw systemError('NOT_IMPLEMENTED', 'this instance is an API without a renderer (echarts-farm api): queue a task instead of async=false', {
      retryable: false,
    });
  }
  const result = await renderOnceMore(renderer, request, logger);
  logSteps(logger, [...namedRenderSteps(result.steps), ['total', result.steps.totalMs]]);
  warnIfCapped(logger, result.settledBy);
  return result;
}

async function renderOnceMore(renderer: Pick<ChartRenderer, 'render'>, request: RenderRequest, logger: Logger): Promise<RenderResult> {
  try {
    return await renderer.render(request);
  } catch (error) {
    if (!isFarmError(error) || !error.retryable) throw error;
    logger.warn({ reason: error.reason, problem: error.message }, 'render failed with a retryable error; trying once more');
    return renderer.render(request);
  }
}
