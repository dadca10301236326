/** `GET /healthz` (the process answers) and `GET /readyz` (a canary chart renders). */
import type { FarmRouter } from '../app-deps.js';
import { sendData } from '../envelope.js';
import type { ReadinessProbe } from '../readiness-probe.js';

/** Adds the liveness and readiness routes to `router`. */
export function addHealthRoutes(router: FarmRouter, probe: ReadinessProbe): void {
  // Liveness must not depend on the pool: a busy pool is no reason to restart the process.
  router.get('/healthz', (ctx) => {
    sendData(ctx, { status: 'ok' });
  });
  router.get('/readyz', async (ctx) => {
    sendData(ctx, await probe.check());
  });
}
