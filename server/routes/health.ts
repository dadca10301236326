/** `GET /healthz` (the process answers) and `GET /readyz` (a canary chart renders). */
import { basename } from 'node:path';
import type { FarmRouter } from '../app-deps.js';
import { sendData } from '../envelope.js';
import type { Readiness } from '../../ops/readiness-probe.js';

/** Readiness of an API without a renderer: its queue answers. */
export interface QueueReadiness {
  ready: true;
  queue: string;
}

/** Adds the liveness and readiness routes to `router`. */
export function addHealthRoutes(router: FarmRouter, probe: { check(): Promise<Readiness | QueueReadiness> }): void {
  // Liveness must not depend on the pool: a busy pool is no reason to restart the process.
  router.get('/healthz', (ctx) => {
    sendData(ctx, { status: 'ok' });
  });
  // Open to anyone: the answer names the canary's golden by its file name, never by its folder.
  router.get('/readyz', async (ctx) => {
    const readiness = await probe.check();
    sendData(ctx, 'canary' in readiness && readiness.canary ? { ...readiness, canary: { ...readiness.canary, golden: basename(readiness.canary.golden) } } : readiness);
  });
}
