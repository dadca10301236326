/** One log line per answered request: method, path, status, duration (after the envelope is set). */
import type { FarmMiddleware } from '../app-deps.js';

/** Logs each request when its answer is ready; runs outside the error envelope to see the final status. */
export function accessLog(): FarmMiddleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      ctx.state.logger.info(
        { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) },
        'request answered',
      );
    }
  };
}
