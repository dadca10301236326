/**
 * The Koa app factory: wires middleware and routes, holds no logic of its own. The same factory
 * serves the `serve` and `api` roles and the tests, each handing in its own renderer and config.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { systemError } from '../errors/farm-error.js';
import type { AppDeps, FarmState } from './app-deps.js';
import { accessLog } from './middleware/access-log.js';
import { CallerIdentity } from './auth/caller-identity.js';
import { authenticate } from './middleware/authenticate.js';
import { errorEnvelope } from './middleware/error-envelope.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { routeFallback } from './middleware/route-fallback.js';
import { readPackageInfo } from './package-info.js';
import { checkQueueAnswers, configuredReadinessProbe, withQueueCheck } from './readiness-probe.js';
import { addChartRoutes } from './routes/charts.js';
import { addCompareRoute } from './routes/compare.js';
import { addDashboardRoutes } from './routes/dashboard.js';
import { addDocsRoutes } from './routes/docs.js';
import { addHealthRoutes } from './routes/health.js';
import { addImageRoutes } from './routes/images.js';
import { addTaskRoutes } from './routes/tasks.js';
import { addLegacyExportRoute } from './routes/legacy-export.js';
import { addSystemRoutes } from './routes/system.js';
import { addStorageStatusRoute } from './routes/storage-status.js';
import { addMetricsRoute } from './routes/metrics.js';
import { httpMetrics } from './middleware/http-metrics.js';

export type { AppDeps } from './app-deps.js';

/** An API without a renderer is ready when its queue answers. */
function queueReadiness(deps: AppDeps) {
  return {
    async check() {
      if (!deps.tasks) throw systemError('NOT_READY', 'this instance has neither a renderer nor a task queue', { retryable: false });
      await checkQueueAnswers(deps.tasks.queue);
      return { ready: true as const, queue: deps.tasks.queue.backend };
    },
  };
}

/** Builds the HTTP app of the farm over `deps`; call `listen` on the result. */
export function createApp(deps: AppDeps): Koa<FarmState> {
  const router = new Router<FarmState>();
  addChartRoutes(router, deps);
  addLegacyExportRoute(router, deps);
  addCompareRoute(router, deps);
  const canary = deps.renderer && (deps.readiness ?? configuredReadinessProbe(deps.renderer, deps.config, deps.logger));
  addHealthRoutes(router, canary ? withQueueCheck(canary, deps.tasks?.queue) : queueReadiness(deps), deps.tasks?.queue);
  addSystemRoutes(router, deps, readPackageInfo());
  if (deps.tasks) addTaskRoutes(router, deps, deps.tasks);
  if (deps.tasks && deps.store) addImageRoutes(router, deps, deps.tasks, deps.store);
  if (deps.store) addStorageStatusRoute(router, deps.store, deps.imageLinks);
  addDocsRoutes(router, readPackageInfo());
  addDashboardRoutes(router, deps);
  if (deps.metrics) addMetricsRoute(router, deps.metrics);

  const app = new Koa<FarmState>();
  app.use(requestId(deps.logger));
  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(accessLog());
  app.use(errorEnvelope());
  if (deps.drain) app.use(deps.drain.middleware());
  app.use(authenticate(new CallerIdentity(deps.config.apiKeys, deps.config.jwtSecret)));
  if (deps.config.rateLimitPerMinute > 0) app.use(rateLimit(deps.config.rateLimitPerMinute));
  app.use(router.routes());
  app.use(routeFallback(router));
  // Only errors after the answer was sent get here (the envelope catches the rest): keep them in the log.
  app.on('error', (error: unknown) => deps.logger.error({ err: error }, 'error after the response was sent'));
  return app;
}
