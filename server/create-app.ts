/**
 * The Koa app factory: wires middleware and routes, holds no logic of its own. The same factory
 * serves the `serve` and `api` roles and the tests, each handing in its own renderer and config.
 */
import Router from '@koa/router';
import Koa from 'koa';
import type { AppDeps, FarmState } from './app-deps.js';
import { accessLog } from './middleware/access-log.js';
import { errorEnvelope } from './middleware/error-envelope.js';
import { requestId } from './middleware/request-id.js';
import { routeFallback } from './middleware/route-fallback.js';
import { readPackageInfo } from './package-info.js';
import { ReadinessProbe } from './readiness-probe.js';
import { addChartRoutes } from './routes/charts.js';
import { addHealthRoutes } from './routes/health.js';
import { addLegacyExportRoute } from './routes/legacy-export.js';
import { addSystemRoutes } from './routes/system.js';

export type { AppDeps } from './app-deps.js';

/** Builds the HTTP app of the farm over `deps`; call `listen` on the result. */
export function createApp(deps: AppDeps): Koa<FarmState> {
  const router = new Router<FarmState>();
  addChartRoutes(router, deps);
  addLegacyExportRoute(router, deps);
  addHealthRoutes(router, new ReadinessProbe(deps.renderer));
  addSystemRoutes(router, deps, readPackageInfo());

  const app = new Koa<FarmState>();
  app.use(requestId(deps.logger));
  app.use(accessLog());
  app.use(errorEnvelope());
  app.use(router.routes());
  app.use(routeFallback(router));
  // Only errors after the answer was sent get here (the envelope catches the rest): keep them in the log.
  app.on('error', (error: unknown) => deps.logger.error({ err: error }, 'error after the response was sent'));
  return app;
}
