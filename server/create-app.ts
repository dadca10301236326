/**
 * The Koa app factory: wires middleware and routes, holds no logic of its own. The same factory
 * serves the `serve` and `api` roles and the tests, each handing in its own renderer and config.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { systemError } from '../errors/farm-error.js';
import type { AppDeps, FarmState } from './app-deps.js';
import { accessLog } from './middleware/access-log.js';
import { answerHeaders } from './middleware/answer-headers.js';
import { CallerIdentity, identitySettings } from './auth/caller-identity.js';
import { hiddenFolders } from './auth/scopes.js';
import { authenticate } from './middleware/authenticate.js';
import { errorEnvelope } from './middleware/error-envelope.js';
import { rateLimit, type RateLimits } from './middleware/rate-limit.js';
import { MemoryChartRateLimiter, type ChartRateLimiter } from './auth/chart-rate-limiter.js';
import type { Config } from '../config/settings.js';
import { requestId } from './middleware/request-id.js';
import { routeFallback } from './middleware/route-fallback.js';
import { readPackageInfo } from './package-info.js';
import { checkQueueAnswers, configuredReadinessProbe, withQueueCheck } from '../ops/readiness-probe.js';
import { addChartRoutes } from './routes/charts.js';
import { addCompareRoute } from './routes/compare.js';
import { addExportRoute } from './routes/exports.js';
import { addPressureRoute } from './routes/pressure.js';
import { admittedRenderer, PressureGauge } from './admission-pressure.js';
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
import { logErrorsAfterResponse } from './middleware/after-response-errors.js';
import { PLAYGROUND_CONTENT_SECURITY_POLICY, PLAYGROUND_FILES } from './playground-page.js';
import { addPageFileRoutes } from './routes/page-files.js';

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

/** The charts a minute of each owner, or undefined when no owner has a limit. */
function rateLimits(config: Config, limiter: ChartRateLimiter | undefined): RateLimits | undefined {
  const ownRates = new Map(config.apiKeysFile.flatMap((entry) => (entry.ratePerMinute === undefined ? [] : [[entry.owner, entry.ratePerMinute] as const])));
  if (config.rateLimitPerMinute === 0 && ownRates.size === 0) return undefined;
  return { limiter: limiter ?? new MemoryChartRateLimiter(), perMinuteOf: (owner) => ownRates.get(owner) ?? config.rateLimitPerMinute };
}

/** Builds the HTTP app of the farm over `deps`; call `listen` on the result. */
export function createApp(given: AppDeps): Koa<FarmState> {
  const gauge = new PressureGauge({ renderer: given.renderer, tasks: given.tasks, config: given.config });
  // The routes render through the admission rule; the canary below does not, so readiness stays a health signal.
  const deps: AppDeps = { ...given, renderer: given.renderer && admittedRenderer(given.renderer, gauge) };
  const router = new Router<FarmState>();
  addChartRoutes(router, deps);
  addExportRoute(router, deps);
  addLegacyExportRoute(router, deps);
  addCompareRoute(router, deps);
  const canary = given.renderer && (deps.readiness ?? configuredReadinessProbe(given.renderer, deps.config, deps.logger));
  addHealthRoutes(router, canary ? withQueueCheck(canary, deps.tasks?.queue) : queueReadiness(deps), deps.tasks?.queue);
  addPressureRoute(router, gauge);
  addSystemRoutes(router, deps, readPackageInfo());
  if (deps.tasks) addTaskRoutes(router, deps, deps.tasks);
  if (deps.tasks && deps.store) addImageRoutes(router, deps, deps.tasks, deps.store);
  if (deps.store) addStorageStatusRoute(router, deps.store, deps.imageLinks);
  addDocsRoutes(router, readPackageInfo());
  addDashboardRoutes(router, deps);
  addPageFileRoutes(router, PLAYGROUND_FILES, PLAYGROUND_CONTENT_SECURITY_POLICY);
  if (deps.metrics) addMetricsRoute(router, deps.metrics);

  const app = new Koa<FarmState>();
  app.use(requestId(deps.logger));
  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(accessLog());
  app.use(answerHeaders());
  app.use(errorEnvelope(hiddenFolders(deps.config)));
  if (deps.drain) app.use(deps.drain.middleware());
  app.use(authenticate(new CallerIdentity(identitySettings(deps.config))));
  const limits = rateLimits(deps.config, deps.rateLimiter);
  if (limits) app.use(rateLimit(limits));
  app.use(router.routes());
  app.use(routeFallback(router));
  logErrorsAfterResponse(app, deps.logger);
  return app;
}
