/** `GET /api/system/info` (versions and render fingerprint) and `GET /api/system/pool` (pool state). */
import type { AppDeps, FarmRouter } from '../app-deps.js';
import { sendData } from '../envelope.js';
import type { PackageInfo } from '../package-info.js';

/** Adds the system routes to `router`. */
export function addSystemRoutes(router: FarmRouter, deps: AppDeps, farm: PackageInfo): void {
  router.get('/api/system/info', (ctx) => {
    sendData(ctx, {
      name: farm.name,
      version: farm.version,
      node: process.version,
      fingerprint: deps.renderer.fingerprint,
      pool: deps.renderer.stats(),
    });
  });
  router.get('/api/system/pool', (ctx) => {
    sendData(ctx, deps.renderer.stats());
  });
}
