import type { FarmMiddleware } from '../app-deps.js';
import type { FarmMetrics } from '../../ops/farm-metrics.js';

/** Counts and times every answer by its route pattern (never the raw path: ids would explode the labels). */
export function httpMetrics(metrics: FarmMetrics): FarmMiddleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.observeHttp(ctx.method, route, ctx.status, (performance.now() - started) / 1000);
    }
  };
}
