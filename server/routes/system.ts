/** `GET /api/system/info` (versions and render fingerprint) and `GET /api/system/pool` (pool state), for the admin scope. */
import type { AppDeps, FarmRouter } from '../app-deps.js';
import { validationError } from '../../errors/farm-error.js';
import { requireAdmin } from '../auth/scopes.js';
import { sendData } from '../envelope.js';
import type { PackageInfo } from '../package-info.js';
import { shownSettings } from '../system-settings.js';

/** Adds the system routes to `router`. */
export function addSystemRoutes(router: FarmRouter, deps: AppDeps, farm: PackageInfo): void {
  router.get('/api/system/info', (ctx) => {
    requireAdmin(ctx);
    sendData(ctx, {
      name: farm.name,
      version: farm.version,
      node: process.version,
      role: deps.renderer ? (deps.tasks ? 'serve' : 'render') : 'api',
      queue: deps.tasks?.queue.backend ?? null,
      fingerprint: deps.renderer?.fingerprint ?? null,
      pool: deps.renderer?.stats() ?? null,
      settings: shownSettings(deps.config),
    });
  });
  router.get('/api/system/pool', (ctx) => {
    requireAdmin(ctx);
    if (!deps.renderer) throw validationError('NOT_FOUND', 'this instance has no page pool (echarts-farm api)');
    sendData(ctx, deps.renderer.stats());
  });
}
