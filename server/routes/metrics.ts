/** `GET /metrics`: the Prometheus exposition of this process. */
import type { FarmRouter } from '../app-deps.js';
import type { FarmMetrics } from '../../ops/farm-metrics.js';

export function addMetricsRoute(router: FarmRouter, metrics: FarmMetrics): void {
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.contentType;
    ctx.body = await metrics.exposition();
  });
}
