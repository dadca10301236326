/**
 * The HTTP face of a worker (`echarts-farm worker` with WORKER_HTTP_PORT): liveness, readiness (the
 * canary) and Prometheus metrics, nothing that takes work, so a worker is never a second API.
 */
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { FarmState } from './app-deps.js';
import type { FarmMetrics } from '../ops/farm-metrics.js';
import { errorEnvelope } from './middleware/error-envelope.js';
import { requestId } from './middleware/request-id.js';
import { withQueueCheck, type QueueForReadiness, type ReadinessProbe } from '../ops/readiness-probe.js';
import { addHealthRoutes } from './routes/health.js';
import { addMetricsRoute } from './routes/metrics.js';
import { logErrorsAfterResponse } from './middleware/after-response-errors.js';

export interface ProbeAppDeps {
  readiness: Pick<ReadinessProbe, 'check'>;
  /** The worker's task queue: not ready while it does not answer. */
  queue?: QueueForReadiness;
  metrics: FarmMetrics;
  logger: Logger;
}

/** /healthz, /readyz and /metrics, with the farm's envelope for errors. */
export function createProbeApp(deps: ProbeAppDeps): Koa<FarmState> {
  const router = new Router<FarmState>();
  addHealthRoutes(router, withQueueCheck(deps.readiness, deps.queue), deps.queue);
  addMetricsRoute(router, deps.metrics);
  const app = new Koa<FarmState>();
  app.use(requestId(deps.logger));
  app.use(errorEnvelope());
  app.use(router.routes());
  logErrorsAfterResponse(app, deps.logger);
  return app;
}
